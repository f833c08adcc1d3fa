import { browser } from 'wxt/browser';
import { t } from '../../lib/page-words.ts';
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
          {model.updated.value && <span class="muted">{t('popup.updated', { time: model.updated.value })}</span>}
        </p>
      </header>
      {model.loadError.value && (
        <p class="error" role="alert">
          {model.loadError}
        </p>
      )}
      {!configured ? (
        <div class="empty">
          <p>{t('popup.setUp')}</p>
          <button type="button" class="btn primary" onClick={openOptions}>
            {t('popup.openOptions')}
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
            {t('popup.statusPage')}
          </a>
        )}
        <button type="button" class="btn quiet" onClick={() => void model.refresh()}>
          {t('popup.refresh')}
        </button>
        <button type="button" class="btn quiet" onClick={openOptions}>
          {t('popup.options')}
        </button>
      </footer>
    </main>
  );
}
