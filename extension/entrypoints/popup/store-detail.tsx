import { useEffect, useRef } from 'preact/hooks';
import { discardedText, lagAtDecisionText } from '../../lib/failover-cost.ts';
import type { PopupModel } from '../../lib/popup-model.ts';
import { relativeIso } from '../../lib/relative-time.ts';
import { FAILOVER_STATE_WORDS, nodeRoleWords, STATUS_TONE, STATUS_WORDS } from '../../lib/status-words.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { FailoverForm } from './failover-form.tsx';
import { lagText, yesNo } from './format.ts';

export function StoreDetail({ model, store }: { model: PopupModel; store: StoreStatus }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a store moves focus to its name, so a screen reader starts reading there.
  useEffect(() => heading.current?.focus(), [store.id]);
  const now = model.clock.value;
  const f = store.lastFailover;
  return (
    <section class="detail" aria-labelledby="detail-title">
      <button type="button" class="back" onClick={() => model.select(null)}>
        ← All stores
      </button>
      <h2 id="detail-title" tabIndex={-1} ref={heading}>
        {store.name}
      </h2>
      <p>
        <span class={`status status--${STATUS_TONE[store.status]}`}>{STATUS_WORDS[store.status]}</span> since{' '}
        {relativeIso(store.since, now) ?? 'unknown'}
        {store.region && <> · {store.region}</>} · epoch {store.epoch}
        {store.failoverMode && <> · failover {store.failoverMode}</>}
      </p>
      {store.reasons.length > 0 && (
        <>
          <h3>Why</h3>
          <ul class="reasons">
            {store.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Nodes</h3>
      <table class="nodes">
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col">Role</th>
            <th scope="col">Reachable</th>
            <th scope="col">Healthy</th>
            <th scope="col">Lag</th>
          </tr>
        </thead>
        <tbody>
          {store.nodes.map((n) => (
            <tr key={n.id}>
              <th scope="row">
                {n.id}
                {n.error && <div class="node-error">{n.error}</div>}
              </th>
              <td>{nodeRoleWords(n)}</td>
              <td>{yesNo(n.reachable)}</td>
              <td>{yesNo(n.healthy)}</td>
              <td>{n.role === 'standby' ? lagText(n.lagSeconds) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {store.arbiter && <p>Arbiter: {store.arbiter.reachable ? 'reachable' : 'unreachable'}</p>}
      <h3>Last failover</h3>
      {f ? (
        <dl class="failover">
          <dt>State</dt>
          <dd>{FAILOVER_STATE_WORDS[f.state]}</dd>
          <dt>From → to</dt>
          <dd>
            {f.from ?? 'unknown'} → {f.to} (epoch {f.epoch})
          </dd>
          <dt>Requested</dt>
          <dd>
            {f.mode} by {f.requestedBy}, {relativeIso(f.decidedAt, now) ?? 'unknown'}: {f.reason}
          </dd>
          {f.completedAt && (
            <>
              <dt>Completed</dt>
              <dd>{relativeIso(f.completedAt, now)}</dd>
            </>
          )}
          {lagAtDecisionText(f) && (
            <>
              <dt>Lag at decision</dt>
              <dd>{lagAtDecisionText(f)}</dd>
            </>
          )}
          {f.reinstatedAt && (
            <>
              <dt>Old primary reinstated</dt>
              <dd>
                {relativeIso(f.reinstatedAt, now)}
                {discardedText(f) && <> · {discardedText(f)}</>}
              </dd>
            </>
          )}
          {f.error && (
            <>
              <dt>Error</dt>
              <dd>{f.error}</dd>
            </>
          )}
        </dl>
      ) : (
        <p class="muted">None recorded.</p>
      )}
      <FailoverForm form={model.form} store={store} />
    </section>
  );
}
