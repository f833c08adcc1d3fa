import type { OptionsModel } from '../../lib/options-model.ts';

function Toggle({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <div class="check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.currentTarget.checked)} />
      <label for={id}>{label}</label>
    </div>
  );
}

const NOTIFY_TOGGLES = [
  { id: 'notify-red', label: 'goes down, splits brain or becomes unreachable', setting: 'notifyRed' },
  { id: 'notify-awaiting', label: 'waits for a failover to be confirmed', setting: 'notifyAwaiting' },
  { id: 'notify-failover', label: 'completes or fails a failover', setting: 'notifyFailover' },
] as const;

export function App({ model }: { model: OptionsModel }) {
  const urlError = model.urlError.value;
  const notice = model.notice.value;
  const known = model.known.value;
  return (
    <main>
      <h1>mirrorwatch options</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          // Called straight from the event: the host-permission prompt needs the click.
          void model.save();
        }}
      >
        <fieldset>
          <legend>Server</legend>
          <label for="server">Server URL</label>
          <input
            id="server"
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
          <button type="button" onClick={() => void model.test()} disabled={model.busy}>
            Test connection
          </button>
        </fieldset>

        <fieldset>
          <legend>Watched stores</legend>
          <p class="hint">
            Both empty: every store. Otherwise the stores listed, plus every store of the regions listed. The badge and
            notifications follow this.
          </p>
          <label for="watch-stores">Store ids (comma or line separated)</label>
          <textarea
            id="watch-stores"
            rows={2}
            value={model.watchStores}
            onInput={(e) => {
              model.watchStores.value = e.currentTarget.value;
            }}
          />
          <label for="watch-regions">Regions</label>
          <textarea
            id="watch-regions"
            rows={2}
            value={model.watchRegions}
            onInput={(e) => {
              model.watchRegions.value = e.currentTarget.value;
            }}
          />
          {known.length > 0 && (
            <div class="known">
              <fieldset>
                <legend>Stores on the server</legend>
                {known.map((s) => (
                  <Toggle
                    key={s.id}
                    id={`store-${s.id}`}
                    label={`${s.name} (${s.id})`}
                    checked={model.watchedStoreIds.value.includes(s.id)}
                    onChange={(on) => model.toggleStore(s.id, on)}
                  />
                ))}
              </fieldset>
              {model.knownRegions.value.length > 0 && (
                <fieldset>
                  <legend>Regions on the server</legend>
                  {model.knownRegions.value.map((r) => (
                    <Toggle
                      key={r}
                      id={`region-${r}`}
                      label={r}
                      checked={model.watchedRegions.value.includes(r)}
                      onChange={(on) => model.toggleRegion(r, on)}
                    />
                  ))}
                </fieldset>
              )}
            </div>
          )}
        </fieldset>

        <fieldset>
          <legend>Notify me when a watched store</legend>
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
        </fieldset>

        <button type="submit" disabled={model.busy}>
          Save
        </button>
        <p role="status" aria-live="polite" class={notice ? notice.tone : ''}>
          {notice?.text}
        </p>
      </form>
    </main>
  );
}
