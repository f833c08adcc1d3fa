import { useEffect, useRef } from 'preact/hooks';
import { t } from '../../lib/page-words.ts';
import type { PopupModel } from '../../lib/popup-model.ts';
import { countdown } from '../../lib/relative-time.ts';
import { aboutFailover, readable } from '../../lib/store-words.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { ConfirmCard } from './confirm-card.tsx';
import { FailoverForm } from './failover-form.tsx';
import { LastFailover } from './last-failover.tsx';
import { NodeTable } from './node-table.tsx';
import { Outcome } from './outcome.tsx';
import { StatusPill } from './status-pill.tsx';
import { StoreJobs } from './store-jobs.tsx';
import { WithFigures } from './with-figures.tsx';

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
  const reasons = store.reasons.filter((r) => !(pending && aboutFailover(r, pending.id)));
  const requested = form.outcome.value.kind === 'accepted';
  const offerFailover = !confirming && !requested && store.status !== 'failing_over';
  return (
    <section class="detail" aria-labelledby="detail-title">
      <button type="button" class="back btn quiet" onClick={() => model.select(null)}>
        {t('detail.back')}
      </button>
      <div class="detail-head">
        <h2 id="detail-title" tabIndex={-1} ref={heading}>
          {store.name}
        </h2>
        <StatusPill status={store.status} />
      </div>
      <p class="meta muted">
        {Number.isNaN(since)
          ? t('detail.sinceUnknown')
          : now - since < 5000
            ? t('detail.justNow')
            : t('detail.for', { duration: countdown(now - since, t) })}
        {store.region && <> · {store.region}</>}
        {store.failoverMode && <> · {t(`detail.mode.${store.failoverMode}`)}</>} ·{' '}
        {t('detail.epoch', { epoch: store.epoch })}
      </p>
      {confirming && <ConfirmCard form={form} store={store} now={now} />}
      {!confirming && form.outcome.value.kind !== 'idle' && (
        <div aria-live="polite">
          <Outcome outcome={form.outcome.value} />
        </div>
      )}
      {reasons.length > 0 && (
        <>
          <h3>{t('detail.why')}</h3>
          <ul class="reasons">
            {reasons.map((r) => (
              <li key={r}>
                <WithFigures text={readable(r, now)} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('detail.nodes')}</h3>
      <NodeTable store={store} />
      <StoreJobs storeId={store.id} now={now} />
      {store.lastFailover && !pending && (
        <>
          <h3>{t('detail.lastFailover')}</h3>
          <LastFailover failover={store.lastFailover} now={now} />
        </>
      )}
      {offerFailover && <FailoverForm form={form} />}
    </section>
  );
}
