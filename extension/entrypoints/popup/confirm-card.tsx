import type { FailoverForm } from '../../lib/failover-form.ts';
import { t } from '../../lib/page-words.ts';
import { countdown } from '../../lib/relative-time.ts';
import { confirmDeadline } from '../../lib/store-words.ts';
import type { StoreStatus } from '../../lib/wire.ts';
import { lagText } from './format.ts';
import { Outcome } from './outcome.tsx';
import { Said } from './said.tsx';

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
      <h3 id="confirm-title">{t('confirm.title')}</h3>
      {pending && (
        <p>
          <Said
            text={target ? t('confirm.promoteLag', { lag: lagText(target.lagSeconds, t) }) : t('confirm.promote')}
            parts={{
              to: <strong>{pending.to}</strong>,
              from: <strong>{pending.from ?? t('confirm.lostPrimary')}</strong>,
            }}
          />
        </p>
      )}
      {deadline !== null && (
        <p class="deadline">
          {deadline > now ? (
            <Said
              text={t('confirm.left')}
              parts={{ duration: <span class="figure">{countdown(deadline - now, t)}</span> }}
            />
          ) : (
            t('confirm.timeUp')
          )}
        </p>
      )}
      {!done && (
        <>
          <div class="row">
            <label class="sr-only" for="confirm-note">
              {t('confirm.note')}
            </label>
            <input
              id="confirm-note"
              class="field"
              placeholder={t('confirm.note')}
              maxLength={500}
              value={form.reason}
              onInput={(e) => {
                form.reason.value = e.currentTarget.value;
              }}
            />
            <button type="submit" class="btn primary" disabled={form.sending}>
              {t('confirm.submit')}
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
      <span>{t('failover.dataLoss')}</span>
    </label>
  );
}
