/**
 * How a decided failover is carried out: its record, its planned actions with their fixed keys, the
 * sends and the endings. Shared by the decision side (machine.ts) and the progress side (progress.ts).
 */
import type { Classification } from '../classify.ts';
import { iso } from '../iso-time.ts';
import { renewalWaitMs } from '../lease/drift.ts';
import { defaultLeaseSeconds } from '../lease/lease-config.ts';
import { idempotencyKeyFor } from '../schemas/action.ts';
import type { Failover } from '../schemas/status.ts';
import type { Eligibility } from './eligibility.ts';
import type {
  ActionProgress,
  FailoverAction,
  FailoverEffect,
  FailoverMachineState,
  GateVerdict,
  LossEpisode,
  MachineCommon,
  ObservedEvent,
  Severity,
  StoreView,
} from './types.ts';
import { duration } from './words.ts';

/** How long the promote waits for the fence's first answer before going ahead (fencing is best effort). */
export const FENCE_WAIT_MS = 10_000;
export const RETRY_BASE_MS = 1_000;
export const RETRY_CAP_MS = 30_000;

export type Active = Extract<FailoverMachineState, { phase: 'fencing' | 'promoting' }>;
export type Fencing = Extract<Active, { phase: 'fencing' }>;
type Awaiting = Extract<FailoverMachineState, { phase: 'awaiting_confirm' }>;
export type Idle = Extract<FailoverMachineState, { phase: 'idle' }>;
export type Effects = FailoverEffect[];

export function failoverId(store: string, seq: number): string {
  return `${store}-f${seq}`;
}

/** Delay before re-sending an action after its `attempts`-th send went unanswered: 1 s, 2 s, 4 s … 30 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}

function common(s: FailoverMachineState): MachineCommon {
  return {
    epoch: s.epoch,
    seq: s.seq,
    lastFailoverAt: s.lastFailoverAt,
    lastAutoFailoverAt: s.lastAutoFailoverAt,
    loss: s.loss,
    maintenance: s.maintenance,
  };
}

/** A line for the event log, and the same words as a notification when `severity` is given. */
export function say(fx: Effects, severity: Severity | null, message: string): void {
  fx.push({ type: 'event', message });
  if (severity) fx.push({ type: 'notify', severity, message });
}

function sendOf(record: Failover, a: ActionProgress): FailoverEffect {
  return {
    type: 'send',
    action: a.action,
    node: a.node,
    epoch: record.epoch,
    failoverId: record.id,
    idempotencyKey: a.idempotencyKey,
    reason: record.reason,
    requestedBy: record.requestedBy,
    attempt: a.attempts,
  };
}

/** Sends (or re-sends, same key) one action; `a` must not have been answered. */
export function send(s: Active, index: number, fx: Effects): Active {
  const a = s.actions[index];
  if (!a) return s;
  const sent: ActionProgress = { ...a, attempts: a.attempts + 1, status: 'in_flight', retryAt: null };
  fx.push(sendOf(s.current, sent));
  return { ...s, actions: s.actions.map((x, i) => (i === index ? sent : x)) };
}

/** Ends the failover: its final record is persisted and the machine is idle again. */
export function finish(
  s: Active | Awaiting,
  state: 'completed' | 'failed' | 'aborted',
  now: number,
  error: string | null,
  fx: Effects,
): Idle {
  const record: Failover = { ...s.current, state, error, completedAt: state === 'completed' ? iso(now) : null };
  fx.push({ type: 'persist', failover: record, epoch: s.epoch });
  // A failed or aborted failover has already told people: no "blocked" alert or new proposal for this loss.
  const loss = state === 'completed' ? null : s.loss && { ...s.loss, alerted: true, proposed: true };
  return { ...common(s), loss, phase: 'idle', current: record };
}

/** Why the primary is considered lost, in the classification's words. */
export function lossReason(c: Classification): string {
  return c.reasons.join('; ');
}

/** Manual mode: persists a proposed record and asks for a confirmation; nothing is sent. */
export function propose(
  s: Idle,
  ev: ObservedEvent,
  e: Extract<Eligibility, { eligible: true }>,
  loss: LossEpisode,
  fx: Effects,
): Awaiting {
  const { config } = ev.observations;
  const seq = s.seq + 1;
  const expiresAt = ev.now + config.failover.confirmTimeoutSeconds * 1000;
  const record: Failover = {
    id: failoverId(config.store.id, seq),
    epoch: Math.max(s.epoch, ev.classification.epoch) + 1,
    from: e.from,
    to: e.target,
    mode: 'manual',
    requestedBy: 'auto',
    reason: lossReason(ev.classification),
    state: 'awaiting_confirm',
    detectedAt: iso(loss.since),
    decidedAt: iso(ev.now),
    completedAt: null,
    lagSecondsAtDecision: e.lagSeconds,
    dataLossAllowed: false,
    error: null,
  };
  fx.push({ type: 'persist', failover: record, epoch: s.epoch });
  const guard =
    e.waived.length > 0 ? ` The lag guard is not met (${e.waived.join('; ')}): confirming needs allowDataLoss.` : '';
  say(
    fx,
    'critical',
    `primary ${e.from ?? '?'} lost: confirm failover ${record.id} to ${e.target} before ${iso(expiresAt)}.${guard}`,
  );
  return {
    ...common(s),
    seq,
    loss: { ...loss, proposed: true },
    phase: 'awaiting_confirm',
    current: record,
    expiresAt,
  };
}

export interface Decider {
  mode: Failover['mode'];
  requestedBy: string;
  reason: string;
  /** The proposed record being confirmed, if any: it keeps its id. */
  recordId: string | null;
}

/** Decides: bumps the epoch, persists the record, then sends the first action (fence, or promote). */
export function act(
  s: FailoverMachineState,
  view: StoreView & { now: number },
  e: Extract<Eligibility, { eligible: true }>,
  d: Decider,
  fx: Effects,
): Active {
  const { now, classification: c } = view;
  const { config } = view.observations;
  const store = config.store.id;
  const epoch = Math.max(s.epoch, c.epoch) + 1;
  const seq = d.recordId ? s.seq : s.seq + 1;
  const from = e.from;
  const detected = e.switchover ? null : (s.loss?.since ?? c.primaryFailingSince ?? c.primaryDownSince);
  const record: Failover = {
    id: d.recordId ?? failoverId(store, seq),
    epoch,
    from,
    to: e.target,
    mode: d.mode,
    requestedBy: d.requestedBy,
    reason: d.reason,
    state: from ? 'fencing' : 'promoting',
    detectedAt: detected === null ? null : iso(detected),
    decidedAt: iso(now),
    completedAt: null,
    lagSecondsAtDecision: e.lagSeconds,
    dataLossAllowed: e.dataLossAllowed,
    error: null,
  };
  const planned = (action: FailoverAction, node: string): ActionProgress => ({
    action,
    node,
    idempotencyKey: idempotencyKeyFor({ store, epoch, action, node }),
    attempts: 0,
    status: 'planned',
    retryAt: null,
    detail: null,
  });
  const promote = planned('promote', e.target);
  const promoteTimeoutMs = config.failover.promoteTimeoutSeconds * 1000;
  const base = {
    ...common(s),
    epoch,
    seq,
    lastFailoverAt: now,
    lastAutoFailoverAt: d.mode === 'auto' ? now : s.lastAutoFailoverAt,
    current: record,
    deadline: now + promoteTimeoutMs,
  };
  // The record and the epoch are written before anything is sent.
  fx.push({ type: 'persist', failover: record, epoch });
  const next: Active = from
    ? send(
        {
          ...base,
          phase: 'fencing',
          actions: [planned('fence', from), promote],
          proceedAt: now + FENCE_WAIT_MS,
          fenceFirst: e.switchover,
          deadline: now + promoteTimeoutMs + (e.switchover ? 0 : gateWaitMs(config)),
          promoteTimeoutMs,
          gateHeldAt: null,
        },
        0,
        fx,
      )
    : send({ ...base, phase: 'promoting', actions: [promote] }, 0, fx);
  const what = e.switchover ? 'switchover' : 'failover';
  const loss = e.dataLossAllowed ? `; data loss allowed${e.waived.length ? ` (${e.waived.join('; ')})` : ''}` : '';
  say(
    fx,
    e.switchover ? 'warning' : 'critical',
    `${what} ${record.id} by ${d.requestedBy}: ${from ? `fencing ${from}, ` : ''}promoting ${e.target} at epoch ${epoch}${loss}`,
  );
  return next;
}

/**
 * The longest the promote gate can legitimately stay shut after a failover is decided (contract
 * section 6): a lease probe in flight at the decision settles within the timeout, and its lease
 * can keep the old primary writable for `renewalWaitMs` after. Zero with self-fencing off.
 */
function gateWaitMs(config: StoreView['observations']['config']): number {
  const f = config.failover;
  if (f.selfFence === false) return 0;
  const lease = f.leaseSeconds ?? defaultLeaseSeconds(f.thresholdSeconds);
  return config.timeoutMs + renewalWaitMs(lease, config.timeoutMs);
}

/**
 * The fence was accepted (a switchover), or a failover may promote now: send the planned promote.
 * `promoteTimeoutSeconds` counts from here.
 */
export function startPromote(s: Fencing, now: number, fx: Effects): Active {
  const record: Failover = { ...s.current, state: 'promoting' };
  fx.push({ type: 'persist', failover: record, epoch: s.epoch });
  const next: Active = {
    ...common(s),
    phase: 'promoting',
    current: record,
    actions: s.actions,
    deadline: s.promoteTimeoutMs === null ? s.deadline : now + s.promoteTimeoutMs,
  };
  const i = next.actions.findIndex((a) => a.action === 'promote' && a.status === 'planned');
  return i < 0 ? next : send(next, i, fx);
}

/**
 * A failover (not a switchover) whose fence was answered, or whose `FENCE_WAIT_MS` passed: the
 * promote goes out once the old primary accepted its fence or the promote gate is open, and is held
 * (said once) until then. The gate is only ever open here when the old primary can no longer take
 * a write (`#shared/lease/promote-gate.ts`).
 */
export function promoteThroughGate(s: Fencing, now: number, gate: GateVerdict, fx: Effects): Active {
  const from = s.current.from ?? '?';
  const fenced = s.actions.some((a) => a.action === 'fence' && a.status === 'accepted');
  if (fenced || gate.open) {
    if (s.gateHeldAt !== null) {
      const why = fenced ? `${from} accepted its fence` : gate.reason;
      say(fx, null, `promote gate open after ${duration(now - s.gateHeldAt)}: ${why}`);
    }
    return startPromote(s, now, fx);
  }
  if (s.gateHeldAt !== null) return s;
  say(fx, null, `promote of ${s.current.to} held until ${from} can no longer take writes: ${gate.reason}`);
  return { ...s, gateHeldAt: now };
}

/** A switchover whose old primary did not accept its fence: it ends failed, and nothing is promoted. */
export function fenceNotAccepted(s: Fencing, now: number, why: string, fx: Effects): Idle {
  const { current } = s;
  const from = current.from ?? '?';
  const error = `${from} did not accept its fence (${why}); no promote was sent: ${from} stays primary unless it fenced itself without answering, check it`;
  const next = finish(s, 'failed', now, error, fx);
  say(fx, 'critical', `switchover ${current.id} failed: ${error}`);
  return next;
}
