import type { FailoverForm as Form } from '../../lib/failover-form.ts';
import { DataLoss } from './confirm-card.tsx';
import { lagText } from './format.ts';

/** An operator's own failover, folded away until asked for: no red button in sight by default. */
export function FailoverForm({ form }: { form: Form }) {
  return (
    <details class="manual">
      <summary>Fail over manually…</summary>
      <form
        class="failover-form"
        aria-label="Fail over manually"
        onSubmit={(e) => {
          e.preventDefault();
          void form.submit();
        }}
      >
        <label for="failover-reason">Reason (recorded with the failover)</label>
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
        <label for="failover-target">Target</label>
        <select
          id="failover-target"
          class="field"
          value={form.target}
          onChange={(e) => {
            form.target.value = e.currentTarget.value;
          }}
        >
          <option value="">Best eligible standby (the server chooses)</option>
          {form.targets.value.map((n) => (
            <option key={n.id} value={n.id}>
              {n.id} (lag {lagText(n.lagSeconds)}, {n.reachable ? 'reachable' : 'unreachable'})
            </option>
          ))}
        </select>
        {form.showDataLoss.value && <DataLoss form={form} />}
        <button type="submit" class="btn danger" disabled={form.sending}>
          Fail over
        </button>
      </form>
    </details>
  );
}
