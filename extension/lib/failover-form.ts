/**
 * The popup's failover form for one store, as signals: a reason (required), an optional target,
 * and the explicit data-loss acknowledgement, shown only when lag is the obstacle. For a store
 * awaiting confirmation the same request confirms the pending failover.
 */
import { batch, computed, type ReadonlySignal, signal } from '@preact/signals';
import type { BackgroundClient } from './background-client.ts';
import { PAGE_ENGLISH } from './page-catalog.ts';
import type { Words } from './ui-catalog.ts';
import type { StoreStatus } from './wire.ts';

/**
 * The fleet's default `maxLagSeconds`. StoreStatus does not carry the store's own limit, so the
 * acknowledgement is also offered whenever the server's refusal mentions lag.
 */
export const DEFAULT_MAX_LAG_SECONDS = 30;
export const CONFIRM_REASON = 'Confirmed from the mirrorwatch browser extension';

export type FailoverOutcome =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'accepted'; message: string }
  | { kind: 'refused'; message: string; reasons: string[] }
  | { kind: 'forbidden'; message: string }
  | { kind: 'error'; message: string };

export function lagOverLimit(store: StoreStatus, limit = DEFAULT_MAX_LAG_SECONDS): boolean {
  const lags = [store.lagSeconds, ...store.nodes.filter((n) => n.role === 'standby').map((n) => n.lagSeconds ?? null)];
  return lags.some((lag) => lag !== null && lag > limit);
}

export function createFailoverForm(
  store: ReadonlySignal<StoreStatus | null>,
  client: Pick<BackgroundClient, 'failover'>,
  /** The popup's words at the time of the answer. */
  words: () => Words = () => PAGE_ENGLISH,
) {
  const reason = signal('');
  const target = signal('');
  const allowDataLoss = signal(false);
  const outcome = signal<FailoverOutcome>({ kind: 'idle' });

  const confirming = computed(() => store.value?.status === 'awaiting_confirm');
  // The current primary is never a target, even while a stale report still calls it a standby.
  const targets = computed(() => {
    const s = store.value;
    return s?.nodes.filter((n) => n.role === 'standby' && n.id !== s.primary) ?? [];
  });
  const lagMentioned = computed(() => {
    const o = outcome.value;
    return o.kind === 'refused' && o.reasons.some((r) => /\blag/i.test(r));
  });
  const showDataLoss = computed(() => (store.value !== null && lagOverLimit(store.value)) || lagMentioned.value);
  const sending = computed(() => outcome.value.kind === 'sending');

  function reset(): void {
    batch(() => {
      reason.value = '';
      target.value = '';
      allowDataLoss.value = false;
      outcome.value = { kind: 'idle' };
    });
  }

  async function submit(): Promise<void> {
    const current = store.peek();
    if (!current || sending.peek()) return;
    const confirm = confirming.peek();
    const why = reason.peek().trim() || (confirm ? CONFIRM_REASON : '');
    const w = words();
    if (why === '') {
      outcome.value = { kind: 'error', message: w('outcome.reasonRequired') };
      return;
    }
    const to = confirm ? '' : target.peek();
    const lossAllowed = showDataLoss.peek() && allowDataLoss.peek();
    outcome.value = { kind: 'sending' };
    const answer = await client.failover({
      store: current.id,
      reason: why,
      ...(to !== '' && { target: to }),
      ...(lossAllowed && { allowDataLoss: true }),
    });
    if (answer.ok) {
      const f = answer.failover;
      outcome.value = {
        kind: 'accepted',
        message: f
          ? w(confirm ? 'outcome.confirmed' : 'outcome.requested', {
              from: f.from ?? w('last.unknownNode'),
              to: f.to,
              state: w(`fstate.${f.state}`),
            })
          : w(confirm ? 'outcome.confirmedBare' : 'outcome.requestedBare'),
      };
      return;
    }
    const { status, message, details } = answer.error;
    if (status === 409) {
      outcome.value = { kind: 'refused', message, reasons: details.map((d) => d.message) };
    } else if (status === 403) {
      outcome.value = { kind: 'forbidden', message: w('outcome.forbidden', { message }) };
    } else {
      outcome.value = { kind: 'error', message };
    }
  }

  return { reason, target, allowDataLoss, outcome, confirming, targets, showDataLoss, sending, reset, submit };
}
export type FailoverForm = ReturnType<typeof createFailoverForm>;
