/**
 * The failover machine's vocabulary: its persisted state, the events a StoreMonitor feeds it and the
 * effects it asks the monitor to apply. The state is plain JSON with a zod schema: the monitor stores it
 * after every transition and parses it back on wake, so no Maps, Sets, Dates or `undefined` fields.
 */
import { z } from 'zod';
import type { Classification } from '../classify.ts';
import type { StoreObservations } from '../observations.ts';
import { ActionKind } from '../schemas/action.ts';
import type { Severity } from '../schemas/alerting.ts';
import { Failover } from '../schemas/status.ts';

/** The contract's words (docs/PROTOCOL.md sections 4 and 6), not a second copy of them. */
export type FailoverAction = ActionKind;
export type { Severity };
export type RequestSource = 'operator' | 'hook';
export type ActionOutcome = 'accepted' | 'refused' | 'unreachable';

/** One webhook of the failover in flight, tracked until answered (the agent dedupes by idempotency key). */
export const ActionProgress = z.object({
  action: ActionKind,
  node: z.string(),
  idempotencyKey: z.string(),
  /** Sends made so far, the first included. */
  attempts: z.number().int().min(0),
  /**
   * `planned`: decided with the failover, not sent yet (the promote waits for the fence).
   * `in_flight`: sent, no answer yet (after a restart the answer can never come: it is re-sent).
   * `retry_wait`: answered `unreachable`, re-sent at `retryAt` with the same key.
   * `accepted` / `refused`: answered; never sent again.
   */
  status: z.enum(['planned', 'in_flight', 'retry_wait', 'accepted', 'refused']),
  retryAt: z.number().nullable(),
  detail: z.string().nullable(),
});
export type ActionProgress = z.infer<typeof ActionProgress>;

/** A primary loss in progress (from the first observation where the loss rule held until a primary serves). */
export const LossEpisode = z.object({
  since: z.number(),
  /** The "failover blocked" or "mode off" alert went out for this loss. */
  alerted: z.boolean(),
  /** A confirmation was already asked for this loss (manual mode asks once per loss). */
  proposed: z.boolean(),
});
export type LossEpisode = z.infer<typeof LossEpisode>;

const MachineCommonShape = {
  /** The store epoch the monitor decided or adopted; lowered only by an operator's re-baseline (`adoptEpoch`). */
  epoch: z.number().int().min(0),
  /** Failover records created so far; numbers the record ids. */
  seq: z.number().int().min(0),
  /** Decision time of the last failover that acted (any kind): the cooldown starts here. */
  lastFailoverAt: z.number().nullable(),
  /** Decision time of the last automatic failover: at most one per `AUTO_FAILOVER_WINDOW_MS`. */
  lastAutoFailoverAt: z.number().nullable(),
  loss: LossEpisode.nullable(),
  /** The maintenance flag of the last `observed` event. */
  maintenance: z.boolean(),
};
export const MachineCommon = z.object(MachineCommonShape);
export type MachineCommon = z.infer<typeof MachineCommon>;

/**
 * The machine's whole memory; the monitor stores it as JSON after every transition that changes it
 * and parses it back with this schema when the object wakes.
 */
export const FailoverMachineState = z.discriminatedUnion('phase', [
  z.object({ ...MachineCommonShape, phase: z.literal('idle'), current: Failover.nullable() }),
  z.object({ ...MachineCommonShape, phase: z.literal('awaiting_confirm'), current: Failover, expiresAt: z.number() }),
  z.object({
    ...MachineCommonShape,
    phase: z.literal('fencing'),
    current: Failover,
    actions: z.array(ActionProgress),
    /**
     * A failover (primary lost): promote even if the fence is still unanswered at this time (fencing
     * is best effort). A switchover (`fenceFirst`): the failover fails at this time unless the fence
     * was accepted, since the old primary still serves and must stop before another is promoted.
     */
    proceedAt: z.number(),
    /** A switchover: promote only after the old primary accepted its fence (docs/PROTOCOL.md section 5). */
    fenceFirst: z.boolean().default(false),
    /**
     * The failover fails at this time if not complete. A switchover: `promoteTimeoutSeconds` after
     * the decision. A failover under the promote gate: that plus the longest a lease can outlast its
     * send (`renewalWaitMs`), so a gate that never opens ends the failover without a promote.
     */
    deadline: z.number(),
    /** `promoteTimeoutSeconds` in ms: the promote's own deadline starts when the promote is sent. Null: older state. */
    promoteTimeoutMs: z.number().int().nullable().default(null),
    /** When the promote was first held by a shut promote gate (contract section 6), or null. */
    gateHeldAt: z.number().nullable().default(null),
  }),
  z.object({
    ...MachineCommonShape,
    phase: z.literal('promoting'),
    current: Failover,
    actions: z.array(ActionProgress),
    deadline: z.number(),
  }),
]);
export type FailoverMachineState = z.infer<typeof FailoverMachineState>;

export type FailoverPhase = FailoverMachineState['phase'];

/** What the monitor knows of the store right now; every decision is re-checked against it. */
export interface StoreView {
  classification: Classification;
  /** Config, freshRounds and each node's `lastStreamingLag` are read from here. */
  observations: StoreObservations;
  maintenance: boolean;
}

export interface ObservedEvent extends StoreView {
  type: 'observed';
  now: number;
}

/** An operator or signed hook asks for a failover; while `awaiting_confirm` it is the confirmation. */
export interface RequestEvent extends StoreView {
  type: 'request';
  now: number;
  source: RequestSource;
  /** `operator:<name>` or `hook`. */
  requestedBy: string;
  reason: string;
  target?: string | undefined;
  allowDataLoss?: boolean | undefined;
}

export interface ActionAnsweredEvent {
  type: 'action_answered';
  now: number;
  failoverId: string;
  action: FailoverAction;
  node: string;
  /** 2xx: accepted; an agent's 4xx: refused; timeout, network error or 5xx: unreachable. */
  outcome: ActionOutcome;
  detail: string;
}

export interface TimerEvent {
  type: 'timer';
  now: number;
}

/** The object was evicted and rebuilt: the state came from storage, sends in flight lost their answers. */
export interface RestartedEvent {
  type: 'restarted';
  now: number;
}

export type FailoverEvent = ObservedEvent | RequestEvent | ActionAnsweredEvent | TimerEvent | RestartedEvent;

export type FailoverEffect =
  /** Write the record (upsert by id), the epoch and the new machine state before the next effect. */
  | { type: 'persist'; failover: Failover; epoch: number }
  /** POST the action to the node (docs/PROTOCOL.md section 5), then feed back an `action_answered`. */
  | {
      type: 'send';
      action: FailoverAction;
      node: string;
      epoch: number;
      failoverId: string;
      idempotencyKey: string;
      reason: string;
      requestedBy: string;
      attempt: number;
    }
  | { type: 'notify'; severity: Severity; message: string }
  /** A line for the store's event log (type `failover`). */
  | { type: 'event'; message: string }
  /** The answer to a `request` event: exactly one per request. */
  | { type: 'reply'; accepted: true; failover: Failover }
  | { type: 'reply'; accepted: false; unmet: string[] };

/**
 * The promote gate's verdict for the failover in flight (`#shared/lease/promote-gate.ts`), which the
 * monitor computes from what only it knows (the last lease it sent, the standbys' evidence) and
 * passes with every event. A failover whose old primary did not accept its fence sends no promote
 * while it is shut. Open when no failover is in flight or self-fencing is off.
 */
export type GateVerdict = { open: true; reason: string } | { open: false; notBefore: number; reason: string };

export const GATE_OPEN: GateVerdict = { open: true, reason: 'no lease to wait for' };

export interface Transition {
  state: FailoverMachineState;
  effects: FailoverEffect[];
}
