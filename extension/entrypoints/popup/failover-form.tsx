import type { FailoverForm as Form } from '../../lib/failover-form.ts';
import { t } from '../../lib/page-words.ts';
import { DataLoss } from './confirm-card.tsx';
import { lagText } from './format.ts';

/** An operator's own failover, folded away until asked for: no red button in sight by default. */
export function FailoverForm({ form }: { form: Form }) {
  return (
    <details class="manual">
      <summary>{t('failover.open')}</summary>
      <form
        class="failover-form"
        aria-label={t('failover.label')}
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit();
        }}
      >
        <label for="failover-reason">{t('failover.reason')}</label>
        <textarea
          id="failover-reason"
          class="field"
          rows={2}
          maxLength={500}
          required
          value={form.reason}
          onInput={(e) => {
            form.reason.value = e.currentTarget.value;
          }}
        />
        <label for="failover-target">{t('failover.target')}</label>
        <select
          id="failover-target"
          class="field"
          value={form.target}
          onChange={(e) => {
            form.target.value = e.currentTarget.value;
          }}
        >
          <option value="">{t('failover.best')}</option>
          {form.targets.value.map((n) => (
            <option key={n.id} value={n.id}>
              {t(n.reachable ? 'failover.targetReachable' : 'failover.targetUnreachable', {
                node: n.id,
                lag: lagText(n.lagSeconds, t),
              })}
            </option>
          ))}
        </select>
        {form.showDataLoss.value && <DataLoss form={form} />}
        <button type="submit" class="btn danger" disabled={form.sending}>
          {t('failover.submit')}
        </button>
      </form>
    </details>
  );
}
