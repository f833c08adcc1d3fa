/**
 * When the monitor may send `promote` for a store whose old primary P it held at epoch E (contract
 * section 6): only once P has certainly fenced itself, or accepted a `fence`, and can never take a
 * write again. Pure: every time is the monitor's clock in ms, `now` passed in.
 *
 * Assumptions: monotonic clocks running within ±1 % of real time on every host (`drift.ts`); every
 * message arrives within the probe timeout D (real time) or never; the agent on P decides with
 * `decideSelfFence` at its deadlines; the monitor grants P no lease once it has decided a failover
 * (`lease-grant.ts`), and `lastLeaseSentAt` is when it sent the last one, answered or not (a probe
 * that timed out may still have delivered its lease).
 *
 * Timing argument. Write W = DRIFT_STRETCH · (L + D + A) (`renewalWaitMs`; A is the time the agent
 * may take to apply its fence, `SELF_FENCE_APPLY_MS`), which outlasts any renewal sent W earlier on
 * the monitor's clock, whatever the delays and rates (proof in `drift.ts`).
 * 1. Lease path: every lease was sent by `lastLeaseSentAt`, so none keeps P writable after
 *    T_lease = lastLeaseSentAt + W, and none is still in flight then to lift a self-fence.
 * 2. Standby path: a standby's replies keep P writable until its last contact c + D + (L + A)/RATE_MIN
 *    at most, i.e. until `contactEnd + W` (`standby-contact.ts`). A report that said "no contact since
 *    c" does not cover what the standby did after the report was made: it may reconnect at once.
 * 3. Let T = max(T_lease, contactEnd_i + W for every standby i). If every standby's latest report
 *    was made after T (`silentUntil_i >= T`), then no renewal of either kind reached P after its own
 *    expiry, so P's agent had fenced itself (and applied it) by T. A self-fence is lifted only by a lease at
 *    P's epoch (`self-fence.ts`), and every lease has landed or been lost by T_lease <= T. So from T
 *    on, P is fenced for good, whatever the standbys do next: a reconnect cannot revive it.
 * Hence: open when `silentUntil_i >= T` for all i; the monitor should probe the standbys at or after
 * `notBefore` = T (a round at T) and ask again. The standby's stream breaking long after the edge
 * lost P (WAN cut first) moves T, and a stream that broke, reconnected and broke again between two
 * probes shows a small `primaryContactAgeSeconds` in the next report, which moves T again.
 * A `fence` P accepted (its 2xx answer arrived) opens the gate at once: a monitor fence is never
 * lifted by a lease. With `selfFence: false` the gate is open and `selfFenceOffReason` says why.
 *
 * Every node of the store but P counts as a standby here, reachable or not: one the monitor cannot
 * hear from may be the one still streaming from P, so it keeps the gate shut (the reason names it).
 */
import { renewalWaitMs } from './drift.ts';
import { selfFenceOffReason } from './lease-config.ts';
import type { StandbyEvidence } from './standby-contact.ts';

export interface PromoteGateInput {
  /** Monitor ms. */
  now: number;
  oldPrimary: string;
  leaseSeconds: number;
  timeoutMs: number;
  selfFence: boolean;
  /**
   * No earlier than the real send of the last lease to P (probe or push answer), answered or not;
   * null: never. In a Worker, `Date.now()` stands still during synchronous code, so the time read
   * before `fetch()` may precede the send: record the time the leased probe settled (answer or
   * timeout), pass `now` while one is still in flight, and after a restart of the monitor take the
   * restart time when nothing later is known.
   */
  lastLeaseSentAt: number | null;
  /** When P's 2xx answer to the failover's `fence` arrived, or null. */
  fenceAcceptedAt: number | null;
  /** Every other node of the store with its evidence (`nextStandbyEvidence`), null when none yet. */
  standbys: ReadonlyArray<{ node: string; evidence: StandbyEvidence | null }>;
}

export type PromoteGate =
  | { open: true; reason: string }
  /** Shut. `notBefore`: the earliest monitor time it can open; probe the standbys at or after it. */
  | { open: false; notBefore: number; reason: string };

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function promoteGate(input: PromoteGateInput): PromoteGate {
  const { now, oldPrimary } = input;
  if (!input.selfFence) return { open: true, reason: selfFenceOffReason(oldPrimary) };
  if (input.fenceAcceptedAt !== null) return { open: true, reason: `${oldPrimary} accepted its fence` };
  const wait = renewalWaitMs(input.leaseSeconds, input.timeoutMs);
  const leaseLapse = input.lastLeaseSentAt === null ? Number.NEGATIVE_INFINITY : input.lastLeaseSentAt + wait;
  const unknown = input.standbys.filter((s) => s.evidence === null).map((s) => s.node);
  if (unknown.length > 0) {
    return {
      open: false,
      notBefore: Math.max(now, leaseLapse),
      reason: `no report yet from ${unknown.join(', ')}, which may still be streaming from ${oldPrimary}`,
    };
  }
  let lapse = leaseLapse;
  for (const s of input.standbys) if (s.evidence !== null) lapse = Math.max(lapse, s.evidence.contactEnd + wait);
  if (now < lapse) {
    const byLease = lapse === leaseLapse;
    return {
      open: false,
      notBefore: lapse,
      reason: byLease
        ? `${oldPrimary} may hold its last lease for ${secs(lapse - now)} more`
        : `${oldPrimary} may be kept writable by a standby's replies for ${secs(lapse - now)} more`,
    };
  }
  const stale = input.standbys.filter((s) => s.evidence !== null && s.evidence.silentUntil < lapse).map((s) => s.node);
  if (stale.length > 0) {
    return {
      open: false,
      notBefore: lapse,
      reason: `waiting for a report from ${stale.join(', ')} made after ${oldPrimary}'s lease and replies ran out`,
    };
  }
  return {
    open: true,
    reason: `${oldPrimary} has had neither a lease nor a standby reply long enough to have fenced itself`,
  };
}
