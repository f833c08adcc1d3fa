import { discardedText, lagAtDecisionText } from '../../lib/failover-cost.ts';
import { t } from '../../lib/page-words.ts';
import { relativeIso } from '../../lib/relative-time.ts';
import { readable, requestedText } from '../../lib/store-words.ts';
import type { Failover } from '../../lib/wire.ts';
import { WithFigures } from './with-figures.tsx';

/** The last failover's facts; the reason and error are the server's own words. */
export function LastFailover({ failover: f, now }: { failover: Failover; now: number }) {
  const lag = lagAtDecisionText(f, t);
  const discarded = discardedText(f, t);
  return (
    <dl class="failover">
      <dt>{t('last.state')}</dt>
      <dd>
        {t('last.stateAt', {
          state: t(`fstate.${f.state}`),
          when: relativeIso(f.completedAt ?? f.decidedAt, now, t) ?? t('last.unknownTime'),
        })}
      </dd>
      <dt>{t('last.fromTo')}</dt>
      <dd>
        {f.from ?? t('last.unknownNode')} → {f.to} <span class="muted">{t('last.epoch', { epoch: f.epoch })}</span>
      </dd>
      <dt>{t('last.requested')}</dt>
      <dd>{requestedText(f, t)}</dd>
      <dt>{t('last.why')}</dt>
      <dd>
        <WithFigures text={readable(f.reason, now)} />
      </dd>
      {lag && (
        <>
          <dt>{t('last.lagAtDecision')}</dt>
          <dd>{lag}</dd>
        </>
      )}
      {f.reinstatedAt && (
        <>
          <dt>{t('last.reinstated')}</dt>
          <dd>
            {relativeIso(f.reinstatedAt, now, t)}
            {discarded && <> · {discarded}</>}
          </dd>
        </>
      )}
      {f.error && (
        <>
          <dt>{t('last.error')}</dt>
          <dd class="error">{readable(f.error, now)}</dd>
        </>
      )}
    </dl>
  );
}
