import type { OptionsModel } from '../../lib/options-model.ts';
import { Toggle } from './toggle.tsx';
import { WatchPicker } from './watch-picker.tsx';

const NOTIFY_TOGGLES = [
  { id: 'notify-red', label: 'goes down, splits brain or becomes unreachable', setting: 'notifyRed' },
  { id: 'notify-awaiting', label: 'waits for a failover to be confirmed', setting: 'notifyAwaiting' },
  { id: 'notify-failover', label: 'completes or fails a failover', setting: 'notifyFailover' },
] as const;

export function App({ model }: { model: OptionsModel }) {
  const urlError = model.urlError.value;
  const notice = model.notice.value;
  return (
    <main>
      <header class="top">
        <h1>
          <span class="logo" aria-hidden="true" />
          mirrorwatch options
        </h1>
        <p class="muted">Kept in this browser only.</p>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          // Called straight from the event: the host-permission prompt needs the click.
          void model.save();
        }}
      >
        <section class="card" aria-labelledby="server-title">
          <h2 id="server-title">Server</h2>
          <label for="server">Server URL</label>
          <input
            id="server"
            class="field"
            type="text"
            inputMode="url"
            placeholder="https://mirrorwatch.example.com"
            autoComplete="url"
            value={model.serverUrl}
            onInput={(e) => {
              model.serverUrl.value = e.currentTarget.value;
            }}
            aria-invalid={urlError !== null}
            aria-describedby="server-help server-error"
          />
          <p id="server-help" class="hint">
            The origin only (https://host[:port]). Saving asks the browser for access to that one server.
          </p>
          {urlError && (
            <p id="server-error" class="error">
              {urlError}
            </p>
          )}
          {model.urlWarning.value && (
            <p id="server-warning" class="warning">
              {model.urlWarning}
            </p>
          )}
          <label for="token">API token</label>
          <input
            id="token"
            class="field"
            type="password"
            autoComplete="off"
            value={model.token}
            onInput={(e) => {
              model.token.value = e.currentTarget.value;
            }}
            aria-describedby="token-help"
          />
          <p id="token-help" class="hint">
            A viewer token shows the fleet; an operator token may also fail over. It stays in this browser's local
            extension storage.
          </p>
          {model.tokenWarning.value && <p class="warning">{model.tokenWarning}</p>}
          <button type="button" class="btn" onClick={() => void model.test()} disabled={model.busy}>
            Test connection
          </button>
        </section>

        <section class="card" aria-labelledby="watch-title">
          <h2 id="watch-title">Watched stores</h2>
          <WatchPicker model={model} />
        </section>

        <section class="card" aria-labelledby="notify-title">
          <h2 id="notify-title">Notify me when a watched store</h2>
          {NOTIFY_TOGGLES.map(({ id, label, setting }) => (
            <Toggle
              key={id}
              id={id}
              label={label}
              checked={model[setting].value}
              onChange={(on) => {
                model[setting].value = on;
              }}
            />
          ))}
        </section>

        <div class="actions">
          <button type="submit" class="btn primary" disabled={model.busy}>
            Save
          </button>
          <p role="status" aria-live="polite" class={notice ? `notice ${notice.tone}` : 'notice'}>
            {notice?.text}
          </p>
        </div>
      </form>
    </main>
  );
}
