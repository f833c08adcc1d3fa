import type { OptionsModel } from '../../lib/options-model.ts';
import { t } from '../../lib/page-words.ts';
import { LanguagePicker } from './language-picker.tsx';
import { Toggle } from './toggle.tsx';
import { WatchPicker } from './watch-picker.tsx';

const NOTIFY_TOGGLES = [
  { id: 'notify-red', label: 'options.notifyRed', setting: 'notifyRed' },
  { id: 'notify-awaiting', label: 'options.notifyAwaiting', setting: 'notifyAwaiting' },
  { id: 'notify-failover', label: 'options.notifyFailover', setting: 'notifyFailover' },
] as const;

export function App({ model }: { model: OptionsModel }) {
  const urlError = model.urlError.value;
  const notice = model.notice.value;
  return (
    <main>
      <header class="top">
        <h1>
          <span class="logo" aria-hidden="true" />
          {t('options.title')}
        </h1>
        <p class="muted">{t('options.local')}</p>
      </header>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          // Called straight from the event: the host-permission prompt needs the click.
          void model.save();
        }}
      >
        <section class="card" aria-labelledby="server-title">
          <h2 id="server-title">{t('options.server')}</h2>
          <label for="server">{t('options.serverUrl')}</label>
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
            {t('options.serverHelp')}
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
          <label for="token">{t('options.token')}</label>
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
            {t('options.tokenHelp')}
          </p>
          {model.tokenWarning.value && <p class="warning">{model.tokenWarning}</p>}
          <button type="button" class="btn" onClick={() => void model.test()} disabled={model.busy}>
            {t('options.test')}
          </button>
        </section>

        <section class="card" aria-labelledby="watch-title">
          <h2 id="watch-title">{t('options.watched')}</h2>
          <WatchPicker model={model} />
        </section>

        <section class="card" aria-labelledby="notify-title">
          <h2 id="notify-title">{t('options.notifyTitle')}</h2>
          {NOTIFY_TOGGLES.map(({ id, label, setting }) => (
            <Toggle
              key={id}
              id={id}
              label={t(label)}
              checked={model[setting].value}
              onChange={(on) => {
                model[setting].value = on;
              }}
            />
          ))}
        </section>

        <LanguagePicker model={model} />

        <div class="actions">
          <button type="submit" class="btn primary" disabled={model.busy}>
            {t('options.save')}
          </button>
          <p role="status" aria-live="polite" class={notice ? `notice ${notice.tone}` : 'notice'}>
            {notice?.text}
          </p>
        </div>
      </form>
    </main>
  );
}
