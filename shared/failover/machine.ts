/**
 * The failover arbiter as a pure state machine: `transition(state, event) → { state, effects }`.
 *
 * It exists apart from the StoreMonitor so every rule of DESIGN.md "Three vantage points" can be
 * proved in plain Node, fault schedule by fault schedule. The monitor persists the state as JSON,
 * applies the effects in order, feeds back events, and keeps one alarm at `nextDueAt(state)`.
 *
 * Never two promotions for one epoch, across restarts too:
 * - a failover's epoch, record id and idempotency keys are fixed at the decision, and the record
 *   (with the state) is persisted before anything is sent;
 * - while a failover is in `fencing`/`promoting`, no event starts another one: that phase is in the
 *   persisted state, so a restarted monitor resumes it instead of deciding afresh;
 * - an action is sent again only if no answer was received for it (`unreachable`, or in flight when
 *   the monitor restarted: the agent may have acted, so the re-send carries the same idempotency key
 *   and epoch and the agent answers it as a duplicate). An accepted or refused action is never re-sent.
 *
 * Failback is never automatic: a node that was primary comes back reporting an older epoch, classify
 * flags it for reinstatement, and a node needing reinstatement is never a target.
 */
import { type Classification, STARTUP_ROUNDS } from '../classify.ts';
import { type Active, act, type Decider, type Effects, finish, type Idle, lossReason, propose, say } from './acting.ts';
import { checkEligibility } from './eligibility.ts';
import { answer, restarted, runDue } from './progress.ts';
import {
  type FailoverEvent,
  type FailoverMachineState,
  GATE_OPEN,
  type GateVerdict,
  type LossEpisode,
  type ObservedEvent,
  type RequestEvent,
  type Transition,
} from './types.ts';

export { FENCE_WAIT_MS, failoverId, RETRY_BASE_MS, RETRY_CAP_MS, retryDelayMs } from './acting.ts';
export { nextDueAt } from './progress.ts';

export function initialState(epoch = 0): FailoverMachineState {
  return {
    phase: 'idle',
    current: null,
    epoch,
    seq: 0,
    lastFailoverAt: null,
    lastAutoFailoverAt: null,
    loss: null,
    maintenance: false,
  };
}

/**
 * An operator adopted an epoch (shared/monitor/epoch-adoption.ts decided it may be): the machine's
 * epoch follows, downward too in an epoch regression, so the next failover issues the epoch above
 * it. Only while idle: a failover in flight keeps the epoch it was decided at.
 */
export function adoptEpoch(state: FailoverMachineState, epoch: number): FailoverMachineState {
  return state.phase === 'idle' ? { ...state, epoch } : state;
}

/**
 * `gate`: the promote gate for the failover in flight (contract section 6), as the monitor sees it
 * at `event.now`; the default (open) is for callers without leases, such as the machine's own tests.
 */
export function transition(
  state: FailoverMachineState,
  event: FailoverEvent,
  gate: GateVerdict = GATE_OPEN,
): Transition {
  const fx: Effects = [];
  let next: FailoverMachineState;
  switch (event.type) {
    case 'observed':
      next = observe(state, event, gate, fx);
      break;
    case 'request':
      next = request(runDue(state, event.now, gate, fx), event, fx);
      break;
    case 'action_answered':
      next = answer(runDue(state, event.now, gate, fx), event, gate, fx);
      break;
    case 'timer':
      next = runDue(state, event.now, gate, fx);
      break;
    case 'restarted':
      next = restarted(runDue(state, event.now, gate, fx), fx);
      break;
  }
  return { state: next, effects: fx };
}

function observe(state: FailoverMachineState, ev: ObservedEvent, gate: GateVerdict, fx: Effects): FailoverMachineState {
  const c = ev.classification;
  let s: FailoverMachineState = { ...state, epoch: Math.max(state.epoch, c.epoch), maintenance: ev.maintenance };
  if ((s.phase === 'fencing' || s.phase === 'promoting') && promoted(s, c)) {
    const { current } = s;
    s = finish(s, 'completed', ev.now, null, fx);
    say(fx, 'info', `failover ${current.id} completed: ${current.to} is primary at epoch ${current.epoch}`);
  }
  s = runDue(s, ev.now, gate, fx);

  const lossHolds = c.status === 'primary_down' && c.primaryLost && ev.observations.freshRounds >= STARTUP_ROUNDS;
  let loss = c.primaryServing ? null : s.loss;
  // The record's detectedAt: when the edge first saw the primary fail, not when its loss clock started.
  if (lossHolds && !loss) {
    loss = { since: c.primaryFailingSince ?? c.primaryDownSince ?? ev.now, alerted: false, proposed: false };
  }
  s = { ...s, loss };

  if (s.phase === 'awaiting_confirm' && c.primaryServing) {
    const { current } = s;
    const next = finish(s, 'aborted', ev.now, `primary ${c.primary ?? '?'} is serving again`, fx);
    say(fx, 'info', `failover ${current.id} aborted: primary ${c.primary ?? '?'} is serving again, no failover needed`);
    return next;
  }
  if (s.phase !== 'idle' || !lossHolds || !loss) return s;
  return onLoss(s, ev, loss, fx);
}

function promoted(s: Active, c: Classification): boolean {
  const target = c.nodes.find((n) => n.id === s.current.to);
  return target?.role === 'primary' && (target.epoch ?? -1) >= s.current.epoch;
}

function alertOnce(s: Idle, loss: LossEpisode, message: string, fx: Effects): Idle {
  if (loss.alerted) return s;
  say(fx, 'critical', message);
  return { ...s, loss: { ...loss, alerted: true } };
}

function onLoss(s: Idle, ev: ObservedEvent, loss: LossEpisode, fx: Effects): FailoverMachineState {
  const c = ev.classification;
  const mode = ev.observations.config.failover.mode;
  const primary = c.primary ?? 'the primary';
  if (mode === 'off') {
    return alertOnce(s, loss, `primary ${primary} lost; failover mode is off: promote a standby by hand`, fx);
  }
  const base = {
    now: ev.now,
    classification: c,
    observations: ev.observations,
    maintenance: ev.maintenance,
    lastFailoverAt: s.lastFailoverAt,
    lastAutoFailoverAt: s.lastAutoFailoverAt,
  };
  if (mode === 'auto') {
    const e = checkEligibility({ ...base, kind: 'auto' });
    if (!e.eligible) {
      return alertOnce(
        s,
        loss,
        `primary ${primary} lost, but automatic failover is blocked: ${e.unmet.join('; ')}`,
        fx,
      );
    }
    return act(s, ev, e, { mode: 'auto', requestedBy: 'auto', reason: lossReason(c), recordId: null }, fx);
  }
  if (loss.proposed) return s;
  // Propose what an operator could confirm, the RPO guard waivable by an explicit allowDataLoss.
  const e = checkEligibility({ ...base, kind: 'operator', allowDataLoss: true });
  if (!e.eligible) {
    return alertOnce(s, loss, `primary ${primary} lost, but no failover can be proposed: ${e.unmet.join('; ')}`, fx);
  }
  return propose(s, ev, e, loss, fx);
}

function request(s: FailoverMachineState, ev: RequestEvent, fx: Effects): FailoverMachineState {
  if (s.phase === 'fencing' || s.phase === 'promoting') {
    const unmet = [`failover ${s.current.id} is in progress: ${s.phase} ${s.current.to} at epoch ${s.current.epoch}`];
    fx.push({ type: 'reply', accepted: false, unmet });
    return s;
  }
  // A hook holds a key on a store host: it may ask, never waive the RPO guard (the route says 400 first).
  if (ev.source === 'hook' && ev.allowDataLoss === true) {
    const unmet = ['a signed hook cannot waive the lag guard (allowDataLoss): an operator must ask for that'];
    fx.push({ type: 'reply', accepted: false, unmet });
    say(fx, null, `failover request by ${ev.requestedBy} refused: ${unmet[0]}`);
    return s;
  }
  // The failover mode governs only what the monitor does on its own: a request is honoured in every mode.
  const confirming = s.phase === 'awaiting_confirm' ? s.current : null;
  const e = checkEligibility({
    kind: 'operator',
    now: ev.now,
    classification: ev.classification,
    observations: ev.observations,
    maintenance: ev.maintenance,
    lastFailoverAt: s.lastFailoverAt,
    lastAutoFailoverAt: s.lastAutoFailoverAt,
    target: ev.target ?? confirming?.to,
    allowDataLoss: ev.allowDataLoss,
  });
  if (!e.eligible) {
    fx.push({ type: 'reply', accepted: false, unmet: e.unmet });
    const what = confirming ? `confirmation of ${confirming.id}` : 'failover request';
    say(fx, null, `${what} by ${ev.requestedBy} refused: ${e.unmet.join('; ')}`);
    return s;
  }
  const reason = confirming ? `${confirming.reason}; confirmed by ${ev.requestedBy}: ${ev.reason}` : ev.reason;
  const decider: Decider = {
    mode: ev.source === 'hook' ? 'hook' : 'manual',
    requestedBy: ev.requestedBy,
    reason,
    recordId: confirming?.id ?? null,
  };
  const next = act(s, ev, e, decider, fx);
  fx.push({ type: 'reply', accepted: true, failover: next.current });
  return next;
}
