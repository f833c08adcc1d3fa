import type { FailoverForm } from '../../lib/failover-form.ts';
import { countdown } from '../../lib/relative-time.ts';
import { confirmDeadline } from '../../lib/store-words.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { lagText } from './format.ts';
import { Outcome } from './outcome.tsx';

/** A failover waiting for an operator: what it will do, how long is left, and the Confirm button, first. */
export function ConfirmCard({ form, store, now }: { form: FailoverForm; store: StoreStatus; now: number }) {
  const pending = store.lastFailover;
  const target = store.nodes.find((n) => n.id === pending?.to);
  const deadline = confirmDeadline(store);
  const done = form.outcome.value.kind === 'accepted';
  return (
    <form
      class="card confirm"
      aria-labelledby="confirm-title"
      onSubmit={(e) => {
        e.preventDefault();
        void form.submit();
      }}
    >
      <h3 id="confirm-title">Failover awaits your confirmation</h3>
      {pending && (
        <p>
          Promote <strong>{pending.to}</strong>
          {target && <> (lag {lagText(target.lagSeconds)})</>} in place of{' '}
          <strong>{pending.from ?? 'the lost primary'}</strong>.
        </p>
      )}
      {deadline !== null && (
        <p class="deadline">
          <span class="figure">{deadline > now ? `${countdown(deadline - now)} left` : 'Time is up'}</span> to confirm
        </p>
      )}
      {!done && (
        <>
          <div class="row">
            <label class="sr-only" for="confirm-note">
              Note (optional)
            </label>
            <input
              id="confirm-note"
              class="field"
              placeholder="Note (optional)"
              maxLength={500}
              value={form.reason}
              onInput={(e) => {
                form.reason.value = e.currentTarget.value;
              }}
            />
            <button type="submit" class="btn primary" disabled={form.sending}>
              Confirm failover
            </button>
          </div>
          {form.showDataLoss.value && <DataLoss form={form} />}
        </>
      )}
      <div aria-live="polite">
        <Outcome outcome={form.outcome.value} />
      </div>
    </form>
  );
}

export function DataLoss({ form }: { form: FailoverForm }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        checked={form.allowDataLoss}
        onChange={(e) => {
          form.allowDataLoss.value = e.currentTarget.checked;
        }}
      />
      <span>The standby is behind: I accept losing the transactions it has not received.</span>
    </label>
  );
}
