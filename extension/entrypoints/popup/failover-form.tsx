import type { FailoverOutcome, FailoverForm as Form } from '../../lib/failover-form.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { lagText } from './format.ts';

function Outcome({ outcome }: { outcome: FailoverOutcome }) {
  switch (outcome.kind) {
    case 'idle':
      return null;
    case 'sending':
      return <p>Sending…</p>;
    case 'accepted':
      return <p class="ok">{outcome.message}</p>;
    case 'refused':
      return (
        <div class="error">
          <p>Refused: {outcome.message}</p>
          {outcome.reasons.length > 0 && (
            <ul>
              {outcome.reasons.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          )}
        </div>
      );
    case 'forbidden':
    case 'error':
      return <p class="error">{outcome.message}</p>;
  }
}

export function FailoverForm({ form, store }: { form: Form; store: StoreStatus }) {
  const confirming = form.confirming.value;
  const pending = confirming ? store.lastFailover : null;
  return (
    <form
      class="failover-form"
      aria-labelledby="failover-title"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
    >
      <h3 id="failover-title">{confirming ? 'Confirm failover' : 'Fail over…'}</h3>
      {pending && (
        <p>
          Pending: promote {pending.to} (from {pending.from ?? 'unknown'}), requested by {pending.requestedBy}:{' '}
          {pending.reason}
        </p>
      )}
      <label for="failover-reason">{confirming ? 'Note (optional)' : 'Reason (required)'}</label>
      <textarea
        id="failover-reason"
        rows={2}
        maxLength={500}
        required={!confirming}
        value={form.reason}
        onInput={(e) => {
          form.reason.value = e.currentTarget.value;
        }}
      />
      {!confirming && (
        <>
          <label for="failover-target">Target</label>
          <select
            id="failover-target"
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
        </>
      )}
      {form.showDataLoss.value && (
        <label class="check">
          <input
            type="checkbox"
            checked={form.allowDataLoss}
            onChange={(e) => {
              form.allowDataLoss.value = e.currentTarget.checked;
            }}
          />{' '}
          The standby is behind: I accept losing the transactions it has not received (allowDataLoss).
        </label>
      )}
      <button type="submit" class={confirming ? 'primary' : 'danger'} disabled={form.sending}>
        {confirming ? 'Confirm failover' : 'Fail over'}
      </button>
      <div aria-live="polite">
        <Outcome outcome={form.outcome.value} />
      </div>
    </form>
  );
}
