/**
 * The decision a primary's agent takes on every tick (contract section 6): stay writable, fence
 * itself, or lift its self-fence. No clock and no I/O: every time is a reading of the agent's own
 * monotonic clock in ms, passed in.
 *
 * Timing argument (what the monitor's promote gate relies on; see `promote-gate.ts`):
 * - The primary is writable only while it holds a lease at its own epoch (received less than its
 *   `seconds` ago) or a standby reply received less than L ago: a reply received at r counts like a
 *   lease of L received at r. Freshness is judged by replies received, never by an open connection
 *   (PostgreSQL keeps a silent walsender for `wal_sender_timeout`, 60 s by default).
 * - It fences itself the first moment it has had neither for that long (`now - last >= L`): the
 *   host must run this function again at `checkAt`, so the fence is not left to the next tick, and
 *   make the fence effective within `SELF_FENCE_APPLY_MS` (`drift.ts`), which the monitor waits for.
 * - A self-fence is sticky: only a lease at its own epoch received after the fence lifts it. A
 *   standby that reconnects does not, so once the primary has fenced itself the only thing that can
 *   make it writable again is the monitor, which grants no lease once it has decided a failover.
 *   This is what lets the monitor prove, from one standby report, that the primary fenced itself
 *   and stays fenced whatever the standby does next.
 * - A fence the monitor sent (`fencedByMonitor`) is never lifted here: only reinstatement does.
 *
 * What the host feeds in:
 * - `lease`: the latest lease whose signature verified (keep it with `keepLease`); a `promote` the
 *   agent carried out counts as a lease at its new epoch received when it was applied.
 * - `standbyReplyAt`: when the freshest standby reply was received. For PostgreSQL, poll
 *   `pg_stat_replication.reply_time` and, when a standby's value changed, record the time of the
 *   *previous* poll (the reply arrived after it; the earlier bound errs on the side of fencing).
 * - `selfFencedAt`: restored from the node's durable fence state after a restart; an agent that
 *   starts with neither a lease nor a reply fences itself until the monitor's next probe.
 */

export interface ReceivedLease {
  epoch: number;
  seconds: number;
  /** Agent monotonic ms when the lease (or the promote that counts as one) was received. */
  receivedAt: number;
}

export interface SelfFenceInput {
  /** Agent monotonic ms. */
  now: number;
  /** The epoch this primary follows. */
  epoch: number;
  /** `failover.selfFence` for the store; false: never fence itself, and lift a self-fence it holds. */
  enabled: boolean;
  /** L: how long a standby reply keeps the primary writable (the store's `leaseSeconds`). */
  leaseSeconds: number;
  lease: ReceivedLease | null;
  standbyReplyAt: number | null;
  fencedByMonitor: boolean;
  /** When this agent fenced itself, or null when it has not. */
  selfFencedAt: number | null;
}

/** What the primary had last: for the reason and the report. Ages in ms, null when never. */
export interface LostRenewals {
  leaseAgeMs: number | null;
  replyAgeMs: number | null;
}

export type SelfFenceDecision =
  /** Writable; run the decision again at `checkAt` (null: nothing can expire, self-fencing is off). */
  | { action: 'writable'; checkAt: number | null; holding: 'lease' | 'standby' | 'both' | 'disabled' }
  /** Fence now, exactly as a `fence` action would, and remember `now` as `selfFencedAt`. */
  | { action: 'fence'; reason: string; lost: LostRenewals }
  /** Already fenced and stays so until new input arrives. */
  | { action: 'stay-fenced'; by: 'monitor' | 'self'; reason: string }
  /** Lift the self-fence (clear `selfFencedAt`) and take writes again. */
  | { action: 'lift'; reason: string };

/** The lease to keep when `incoming` arrives: only one at the agent's own epoch replaces the last. */
export function keepLease(kept: ReceivedLease | null, incoming: ReceivedLease, epoch: number): ReceivedLease | null {
  if (incoming.epoch !== epoch) return kept !== null && kept.epoch === epoch ? kept : null;
  if (kept !== null && kept.epoch === epoch && kept.receivedAt > incoming.receivedAt) return kept;
  return incoming;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function decideSelfFence(input: SelfFenceInput): SelfFenceDecision {
  const { now, epoch, lease, standbyReplyAt, selfFencedAt } = input;
  if (input.fencedByMonitor) {
    return { action: 'stay-fenced', by: 'monitor', reason: 'fenced by the monitor: only reinstatement lifts it' };
  }
  if (!input.enabled) {
    return selfFencedAt === null
      ? { action: 'writable', checkAt: null, holding: 'disabled' }
      : { action: 'lift', reason: 'self-fencing is off for this store' };
  }
  const ownLease = lease !== null && lease.epoch === epoch ? lease : null;
  const leaseUntil = ownLease === null ? null : ownLease.receivedAt + ownLease.seconds * 1000;
  if (selfFencedAt !== null) {
    if (ownLease !== null && leaseUntil !== null && ownLease.receivedAt > selfFencedAt && now < leaseUntil) {
      return { action: 'lift', reason: `a lease at epoch ${epoch} arrived ${secs(now - ownLease.receivedAt)} ago` };
    }
    return {
      action: 'stay-fenced',
      by: 'self',
      reason: `fenced itself ${secs(now - selfFencedAt)} ago; waiting for a lease at epoch ${epoch}`,
    };
  }
  const replyUntil = standbyReplyAt === null ? null : standbyReplyAt + input.leaseSeconds * 1000;
  const byLease = leaseUntil !== null && now < leaseUntil;
  const byStandby = replyUntil !== null && now < replyUntil;
  if (byLease || byStandby) {
    const checkAt = Math.max(
      byLease && leaseUntil !== null ? leaseUntil : 0,
      byStandby && replyUntil !== null ? replyUntil : 0,
    );
    return { action: 'writable', checkAt, holding: byLease && byStandby ? 'both' : byLease ? 'lease' : 'standby' };
  }
  const lost: LostRenewals = {
    leaseAgeMs: ownLease === null ? null : now - ownLease.receivedAt,
    replyAgeMs: standbyReplyAt === null ? null : now - standbyReplyAt,
  };
  const leasePart =
    lost.leaseAgeMs === null
      ? `no lease at epoch ${epoch} since the agent started`
      : `no lease for ${secs(lost.leaseAgeMs)}`;
  const replyPart =
    lost.replyAgeMs === null
      ? 'no standby reply since the agent started'
      : `no standby reply for ${secs(lost.replyAgeMs)}`;
  return {
    action: 'fence',
    reason: `${leasePart} and ${replyPart} (lease ${input.leaseSeconds} s): fenced itself`,
    lost,
  };
}
