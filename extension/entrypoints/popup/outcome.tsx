import type { FailoverOutcome } from '../../lib/failover-form.ts';
import { t } from '../../lib/page-words.ts';
import { refusalReasons } from '../../lib/store-words.ts';

/** What became of the last failover request, each fact said once. */
export function Outcome({ outcome }: { outcome: FailoverOutcome }) {
  switch (outcome.kind) {
    case 'idle':
      return null;
    case 'sending':
      return <p class="note">{t('outcome.sending')}</p>;
    case 'accepted':
      return <p class="note ok">{outcome.message}</p>;
    case 'refused': {
      const reasons = refusalReasons(outcome.message, outcome.reasons);
      return (
        <div class="note error">
          <strong>{t(reasons.length > 0 ? 'outcome.refused' : 'outcome.refusedBare')}</strong>
          {reasons.length > 0 && (
            <ul>
              {reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      );
    }
    case 'forbidden':
    case 'error':
      return <p class="note error">{outcome.message}</p>;
  }
}
