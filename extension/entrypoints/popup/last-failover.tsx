import { discardedText, lagAtDecisionText } from '../../lib/failover-cost.ts';
import { relativeIso } from '../../lib/relative-time.ts';
import { FAILOVER_STATE_WORDS } from '../../lib/status-words.ts';
import { readable, requestedText } from '../../lib/store-words.ts';
import type { Failover } from '../../lib/wire.ts';
import { WithFigures } from './with-figures.tsx';

export function LastFailover({ failover: f, now }: { failover: Failover; now: number }) {
  return (
    <dl class="failover">
      <dt>State</dt>
      <dd>
        {FAILOVER_STATE_WORDS[f.state]}, {relativeIso(f.completedAt ?? f.decidedAt, now) ?? 'at an unknown time'}
      </dd>
      <dt>From → to</dt>
      <dd>
        {f.from ?? 'unknown'} → {f.to} <span class="muted">(epoch {f.epoch})</span>
      </dd>
      <dt>Requested</dt>
      <dd>{requestedText(f)}</dd>
      <dt>Why</dt>
      <dd>
        <WithFigures text={readable(f.reason, now)} />
      </dd>
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
          <dd class="error">{readable(f.error, now)}</dd>
        </>
      )}
    </dl>
  );
}
