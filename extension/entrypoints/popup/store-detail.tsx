import { useEffect, useRef } from 'preact/hooks';
import type { PopupModel } from '../../lib/popup-model.ts';
import { countdown } from '../../lib/relative-time.ts';
import { readable } from '../../lib/store-words.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { ConfirmCard } from './confirm-card.tsx';
import { FailoverForm } from './failover-form.tsx';
import { LastFailover } from './last-failover.tsx';
import { NodeTable } from './node-table.tsx';
import { Outcome } from './outcome.tsx';
import { StatusPill } from './status-pill.tsx';
import { StoreJobs } from './store-jobs.tsx';
import { WithFigures } from './with-figures.tsx';

const MODE_WORDS = { auto: 'automatic failover', manual: 'failover on confirmation', off: 'failover off' } as const;

export function StoreDetail({ model, store }: { model: PopupModel; store: StoreStatus }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a store moves focus to its name, so a screen reader starts reading there.
  useEffect(() => heading.current?.focus(), [store.id]);
  const now = model.clock.value;
  const since = Date.parse(store.since);
  const form = model.form;
  const confirming = form.confirming.value;
  const pending = confirming ? store.lastFailover : null;
  // The confirmation card says what the awaiting reason says: list it once.
  const reasons = store.reasons.filter((r) => !(pending && r.startsWith(`failover ${pending.id} `)));
  const requested = form.outcome.value.kind === 'accepted';
  const offerFailover = !confirming && !requested && store.status !== 'failing_over';
  return (
    <section class="detail" aria-labelledby="detail-title">
      <button type="button" class="back btn quiet" onClick={() => model.select(null)}>
        ← All stores
      </button>
      <div class="detail-head">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          {store.name}
        </h2>
        <StatusPill status={store.status} />
      </div>
      <p class="meta muted">
        {Number.isNaN(since)
          ? 'Since an unknown time'
          : now - since < 5000
            ? 'Just now'
            : `For ${countdown(now - since)}`}
        {store.region && <> · {store.region}</>}
        {store.failoverMode && <> · {MODE_WORDS[store.failoverMode]}</>} · epoch {store.epoch}
      </p>
      {confirming && <ConfirmCard form={form} store={store} now={now} />}
      {!confirming && form.outcome.value.kind !== 'idle' && (
        <div aria-live="polite">
          <Outcome outcome={form.outcome.value} />
        </div>
      )}
      {reasons.length > 0 && (
        <>
          <h3>Why</h3>
          <ul class="reasons">
            {reasons.map((r) => (
              <li key={r}>
                <WithFigures text={readable(r, now)} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Nodes</h3>
      <NodeTable store={store} />
      <StoreJobs storeId={store.id} now={now} />
      {store.lastFailover && !pending && (
        <>
          <h3>Last failover</h3>
          <LastFailover failover={store.lastFailover} now={now} />
        </>
      )}
      {offerFailover && <FailoverForm form={form} />}
    </section>
  );
}
