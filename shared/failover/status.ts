/**
 * The status of a store before what runs on a clock is laid over it (shared/status-overlay.ts: the
 * maintenance window, job and resource warnings): the failover machine's phase takes precedence over
 * what observation alone says.
 */
import type { Classification } from '../classify.ts';
import type { StoreStatusName } from '../schemas/status.ts';
import type { FailoverMachineState } from './types.ts';

export interface StoreStatusView {
  status: StoreStatusName;
  reasons: string[];
}

export function storeStatusOf(
  classification: Classification,
  state: FailoverMachineState,
  _now: number,
): StoreStatusView {
  const observed = classification.reasons;
  switch (state.phase) {
    case 'fencing':
    case 'promoting': {
      const f = state.current;
      const step = state.phase === 'fencing' ? `fencing ${f.from ?? '?'}` : `promoting ${f.to}`;
      return {
        status: 'failing_over',
        reasons: [`failover ${f.id} (${f.requestedBy}): ${step} at epoch ${f.epoch}`, ...observed],
      };
    }
    case 'awaiting_confirm': {
      const f = state.current;
      // An absolute time: a countdown would change the summary (and wake every browser) each round.
      const expires = new Date(state.expiresAt).toISOString();
      return {
        status: 'awaiting_confirm',
        reasons: [`failover ${f.id} to ${f.to} awaits an operator's confirmation (until ${expires})`, ...observed],
      };
    }
    case 'idle':
      return { status: classification.status, reasons: observed };
  }
}
