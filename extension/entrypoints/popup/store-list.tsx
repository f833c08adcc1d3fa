import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../lib/page-words.ts';
import type { PopupModel } from '../../lib/popup-model.ts';
import { fleetSummary, rowWhy } from '../../lib/store-words.ts';
import { StatusPill } from './status-pill.tsx';
import { WithFigures } from './with-figures.tsx';

export function StoreList({ model }: { model: PopupModel }) {
  const list = useRef<HTMLUListElement>(null);
  // Back from a store's detail: focus returns to that store's row.
  useEffect(() => {
    const id = model.lastViewedId.peek();
    if (!id) return;
    for (const button of list.current?.querySelectorAll<HTMLButtonElement>('button[data-store]') ?? []) {
      if (button.dataset.store === id) button.focus();
    }
  }, [model]);

  const stores = model.stores.value;
  const now = model.clock.value;
  if (stores.length === 0) {
    return (
      <p class="muted empty">{model.fleet.value.receivedAt === null ? t('popup.noData') : t('popup.noWatched')}</p>
    );
  }
  const summary = fleetSummary(stores, t);
  return (
    <>
      <p class={`summary ${summary.fine === summary.total ? 'summary--fine' : 'summary--trouble'}`}>
        <strong class="figure">{summary.text}</strong>
        {model.hiddenCount.value > 0 && (
          <span class="muted">{t('popup.notWatched', { count: model.hiddenCount.value })}</span>
        )}
      </p>
      <ul class="stores" aria-label={t('popup.storesLabel')} ref={list}>
        {stores.map((s) => (
          <li key={s.id}>
            <button type="button" class="store" data-store={s.id} onClick={() => model.select(s.id)}>
              <StatusPill status={s.status} />
              <span class="name">{s.name}</span>
              <span class="why">
                <WithFigures text={rowWhy(s, now, t)} />
              </span>
              <span class="chevron" aria-hidden="true">
                ›
              </span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
