import { browser } from 'wxt/browser';
import type { PopupModel } from '../../lib/popup-model.ts';
import { StoreDetail } from './store-detail.tsx';
import { StoreList } from './store-list.tsx';

export function App({ model }: { model: PopupModel }) {
  const state = model.connection.value.state;
  const configured = model.settings.value?.configured !== false;
  const openOptions = () => void browser.runtime.openOptionsPage();
  return (
    <main>
      <header class="top">
        <h1>
          <span class="logo" aria-hidden="true" />
          mirrorwatch
        </h1>
        {/* Connection changes are announced; the words say it, the colour only repeats it. */}
        <p role="status" aria-live="polite" class={`connection connection--${configured ? state : 'unconfigured'}`}>
          <span class="dot" aria-hidden="true" />
          {model.header}
          {model.updated.value && <span class="muted"> · updated {model.updated}</span>}
        </p>
      </header>
      {model.loadError.value && (
        <p class="error" role="alert">
          {model.loadError}
        </p>
      )}
      {!configured ? (
        <div class="empty">
          <p>Set the server URL and token first.</p>
          <button type="button" class="btn primary" onClick={openOptions}>
            Open options
          </button>
        </div>
      ) : model.selected.value ? (
        <StoreDetail model={model} store={model.selected.value} />
      ) : (
        <StoreList model={model} />
      )}
      <footer class="bottom">
        {model.statusPage.value && (
          <a href={model.statusPage.value} target="_blank" rel="noreferrer">
            Public status page ↗
          </a>
        )}
        <button type="button" class="btn quiet" onClick={() => void model.refresh()}>
          Refresh
        </button>
        <button type="button" class="btn quiet" onClick={openOptions}>
          Options
        </button>
      </footer>
    </main>
  );
}
