import { useEffect, useRef } from 'preact/hooks';
import type { PopupModel } from '../../lib/popup-model.ts';
import { relativeIso } from '../../lib/relative-time.ts';
import { STATUS_TONE, STATUS_WORDS } from '../../lib/status-words.ts';
import { lagText } from './format.ts';

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
    return <p class="muted">{model.fleet.value.receivedAt === null ? 'No data yet.' : 'No watched store.'}</p>;
  }
  return (
    <>
      <ul class="stores" aria-label="Stores, most urgent first" ref={list}>
        {stores.map((s) => (
          <li key={s.id}>
            <button type="button" class="store" data-store={s.id} onClick={() => model.select(s.id)}>
              <span class={`status status--${STATUS_TONE[s.status]}`}>{STATUS_WORDS[s.status]}</span>
              <span class="name">{s.name}</span>
              <span class="meta">
                primary {s.primary ?? 'none'} · lag {lagText(s.lagSeconds)} · since{' '}
                {relativeIso(s.since, now) ?? 'unknown'}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {model.hiddenCount.value > 0 && (
        <p class="muted">
          {model.hiddenCount} other store{model.hiddenCount.value === 1 ? ' is' : 's are'} not watched.
        </p>
      )}
    </>
  );
}
