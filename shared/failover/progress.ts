/**
 * A failover in flight over time: deadlines, retries with backoff, answers from the agents, and the
 * resumption after the monitor restarts. Only actions never answered are ever sent again, always with
 * their original idempotency key.
 */
import { iso } from '../iso-time.ts';
import {
  type Active,
  type Effects,
  FENCE_WAIT_MS,
  fenceNotAccepted,
  finish,
  promoteThroughGate,
  retryDelayMs,
  say,
  send,
  startPromote,
} from './acting.ts';
import type { ActionAnsweredEvent, ActionProgress, FailoverMachineState, GateVerdict } from './types.ts';
import { duration } from './words.ts';

/** When the monitor must call `timer` next, or null when nothing is pending. */
export function nextDueAt(state: FailoverMachineState): number | null {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'awaiting_confirm':
      return state.expiresAt;
    case 'fencing':
    case 'promoting': {
      const retries = state.actions.flatMap((a) =>
        a.status === 'retry_wait' && a.retryAt !== null ? [a.retryAt] : [],
      );
      // A promote held by the gate waits for a probe round, not for a timer.
      const proceed = state.phase === 'fencing' && state.gateHeldAt === null ? [state.proceedAt] : [];
      return Math.min(state.deadline, ...proceed, ...retries);
    }
  }
}

/** Whatever is due at `now`: confirmation expiry, promote timeout, retries, promoting after the fence wait. */
export function runDue(s: FailoverMachineState, now: number, gate: GateVerdict, fx: Effects): FailoverMachineState {
  if (s.phase === 'idle') return s;
  if (s.phase === 'awaiting_confirm') {
    if (now < s.expiresAt) return s;
    const { current } = s;
    const why = `not confirmed before ${iso(s.expiresAt)}`;
    const next = finish(s, 'aborted', now, why, fx);
    say(fx, 'warning', `failover ${current.id} to ${current.to} aborted: ${why}`);
    return next;
  }
  if (now >= s.deadline && s.phase === 'fencing' && s.gateHeldAt !== null && !gate.open) {
    const { current } = s;
    const from = current.from ?? '?';
    const why = `the promote gate never opened (${gate.reason}); no promote was sent: check ${from} and ${current.to}`;
    const next = finish(s, 'failed', now, why, fx);
    say(fx, 'critical', `failover ${current.id} failed: ${why}`);
    return next;
  }
  if (now >= s.deadline) {
    const { current } = s;
    const limit = duration(s.deadline - Date.parse(current.decidedAt));
    const why = `${current.to} did not report primary at epoch ${current.epoch} within ${limit} of the decision`;
    const next = finish(s, 'failed', now, why, fx);
    say(fx, 'critical', `failover ${current.id} failed: ${why}; manual intervention needed`);
    return next;
  }
  let next: Active = s;
  next.actions.forEach((a, i) => {
    if (a.status === 'retry_wait' && a.retryAt !== null && a.retryAt <= now) next = send(next, i, fx);
  });
  if (next.phase === 'fencing' && (now >= next.proceedAt || next.gateHeldAt !== null)) {
    const fence = next.actions.find((a) => a.action === 'fence');
    if (next.fenceFirst) {
      return fenceNotAccepted(next, now, fence?.detail ?? `no answer within ${duration(FENCE_WAIT_MS)}`, fx);
    }
    if (next.gateHeldAt === null && gate.open && fence?.status !== 'accepted') {
      say(fx, null, `fence of ${next.current.from ?? '?'} unanswered: promoting anyway (fencing is best effort)`);
    }
    next = promoteThroughGate(next, now, gate, fx);
  }
  return next;
}

/** An agent answered (or did not answer) a send; only the first real answer of an action counts. */
export function answer(
  s: FailoverMachineState,
  ev: ActionAnsweredEvent,
  gate: GateVerdict,
  fx: Effects,
): FailoverMachineState {
  // Answers for another failover, or arriving after this one ended, change nothing.
  if ((s.phase !== 'fencing' && s.phase !== 'promoting') || s.current.id !== ev.failoverId) return s;
  const index = s.actions.findIndex((a) => a.action === ev.action && a.node === ev.node);
  const a = s.actions[index];
  // Only the first answer counts; a duplicate `unreachable` while a retry is scheduled is ignored.
  if (!a || (a.status !== 'in_flight' && a.status !== 'retry_wait')) return s;
  if (ev.outcome === 'unreachable' && a.status === 'retry_wait') return s;

  const updated: ActionProgress =
    ev.outcome === 'unreachable'
      ? { ...a, status: 'retry_wait', retryAt: ev.now + retryDelayMs(a.attempts), detail: ev.detail }
      : { ...a, status: ev.outcome, retryAt: null, detail: ev.detail };
  const next: Active = { ...s, actions: s.actions.map((x, i) => (i === index ? updated : x)) };
  const to = `${ev.action} ${ev.node} (attempt ${a.attempts})`;
  if (ev.outcome === 'unreachable') {
    say(fx, null, `${to} unanswered: ${ev.detail}; retrying in ${duration(retryDelayMs(a.attempts))}`);
  } else {
    say(fx, null, `${to} ${ev.outcome}${ev.detail ? `: ${ev.detail}` : ''}`);
  }

  if (ev.action === 'promote' && ev.outcome === 'refused') {
    const { current } = next;
    const why = `${ev.node} refused the promotion: ${ev.detail}`;
    const failed = finish(next, 'failed', ev.now, why, fx);
    say(fx, 'critical', `failover ${current.id} failed: ${why}; manual intervention needed`);
    return failed;
  }
  if (next.phase !== 'fencing' || ev.action !== 'fence') return next;
  // A switchover promotes only once the old primary stopped: a refused fence ends it; an unanswered
  // one is retried until FENCE_WAIT_MS, then ends it (runDue). A failover promotes after any answer
  // once the promote gate lets it (an accepted fence opens it).
  if (next.fenceFirst && ev.outcome === 'refused') return fenceNotAccepted(next, ev.now, ev.detail, fx);
  if (next.fenceFirst && ev.outcome !== 'accepted') return next;
  if (next.fenceFirst) return startPromote(next, ev.now, fx);
  return promoteThroughGate(next, ev.now, gate, fx);
}

/** After a restart: re-send what was in flight, with its original key; never start anything new. */
export function restarted(s: FailoverMachineState, fx: Effects): FailoverMachineState {
  if (s.phase !== 'fencing' && s.phase !== 'promoting') return s;
  // The answers of sends in flight died with the old instance: unanswered, so re-sent with the same key.
  let next: Active = s;
  next.actions.forEach((a, i) => {
    if (a.status !== 'in_flight') return;
    say(fx, null, `monitor restarted during failover ${s.current.id}: re-sending ${a.action} to ${a.node}`);
    next = send(next, i, fx);
  });
  return next;
}
