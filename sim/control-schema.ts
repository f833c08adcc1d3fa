/**
 * Wire shapes of the simulator's control API (`/control/...`): the fault requests it accepts and the
 * state and action records it returns. The server builds these types; the client parses them.
 */
import { z } from 'zod';
import { FailoverMode } from '#shared/schemas/config.ts';
import { AgentReport } from '#shared/schemas/report.ts';

/** A node id, or `arbiter` for the store's arbiter where the fault allows it. */
const Target = z.string().min(1).max(64);
const Seconds = z.number().min(0).max(86400);

export const FAULTS = [
  'crash',
  'restore',
  'wan-cut',
  'wan-restore',
  'lag',
  'partition',
  'isolate',
  'heal',
  'flap',
  'http500',
  'garbage',
  'reinstate',
  'disk',
  'reset',
] as const;
export type FaultName = (typeof FAULTS)[number];

/**
 * Where `node` is optional it defaults to the current primary; `restore` without a node restores
 * every node and the arbiter (up, not flapping, answering normally). `node: "arbiter"` targets the
 * arbiter for crash, restore, http500 and garbage.
 */
export const FaultRequest = z.discriminatedUnion('fault', [
  z.strictObject({ fault: z.literal('crash'), node: Target.optional() }),
  z.strictObject({ fault: z.literal('restore'), node: Target.optional() }),
  z.strictObject({ fault: z.literal('wan-cut'), mode: z.enum(['hang', 'reset']).optional() }),
  z.strictObject({ fault: z.literal('wan-restore') }),
  /** `node` defaults to every standby. */
  z.strictObject({ fault: z.literal('lag'), seconds: Seconds, node: Target.optional() }),
  z.strictObject({ fault: z.literal('partition') }),
  /** Cut a node (default: the primary) off from the edge, its peers and the arbiter; its clients still reach it. */
  z.strictObject({ fault: z.literal('isolate'), node: Target.optional() }),
  z.strictObject({ fault: z.literal('heal') }),
  z.strictObject({ fault: z.literal('flap'), seconds: Seconds.min(0.05), node: Target.optional() }),
  z.strictObject({ fault: z.literal('http500'), node: Target.optional() }),
  z.strictObject({ fault: z.literal('garbage'), node: Target.optional() }),
  /** A fenced node rejoins as a standby of the current primary (an operator's rebuild). */
  z.strictObject({ fault: z.literal('reinstate'), node: Target }),
  /** The node's agent reports its disk this full (a resource warning at once from 90 %); heal clears it. */
  z.strictObject({ fault: z.literal('disk'), percent: z.number().min(0).max(100), node: Target.optional() }),
  /**
   * Every fault cleared and every node healthy, keeping the store's primary and epoch (the monitor
   * remembers the epochs it issued); `initial: true` goes back to the generated store (tests).
   */
  z.strictObject({ fault: z.literal('reset'), initial: z.boolean().optional() }),
]);
export type FaultRequest = z.infer<typeof FaultRequest>;

const Responding = z.enum(['ok', 'http500', 'garbage']);

export const SimNodeState = z.object({
  id: z.string(),
  role: z.enum(['primary', 'standby']),
  epoch: z.number(),
  priority: z.number(),
  fenced: z.boolean(),
  crashed: z.boolean(),
  /** Crashed or in the down half of a flap: its endpoints reset connections. */
  down: z.boolean(),
  flapSeconds: z.number().nullable(),
  responding: Responding,
  /** What the node's agent reports right now, WAN or not; null while it is down. */
  report: AgentReport.nullable(),
});
export type SimNodeState = z.infer<typeof SimNodeState>;

export const SimStoreState = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  mode: FailoverMode,
  epoch: z.number(),
  primary: z.string().nullable(),
  activeHolder: z.string().nullable(),
  wanCut: z.enum(['hang', 'reset']).nullable(),
  partitioned: z.boolean(),
  pendingPromotions: z.array(z.object({ node: z.string(), epoch: z.number(), dueAt: z.string() })),
  nodes: z.array(SimNodeState),
  arbiter: z
    .object({ id: z.string(), crashed: z.boolean(), responding: Responding, report: AgentReport.nullable() })
    .nullable(),
});
export type SimStoreState = z.infer<typeof SimStoreState>;

export const RecordedAction = z.object({
  seq: z.number(),
  at: z.string(),
  store: z.string(),
  /** The path it came in on: a node's URL or the active endpoint. */
  endpoint: z.enum(['node', 'active']),
  /** The node that received it; null when none did (the active endpoint had no holder). */
  node: z.string().nullable(),
  method: z.string(),
  path: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
  /** Best-effort peek at the body, also for requests never verified. */
  action: z.string().nullable(),
  epoch: z.number().nullable(),
  verdict: z.object({
    /** Null when no HTTP answer was sent (connection reset or left hanging). */
    status: z.number().nullable(),
    code: z.string(),
    message: z.string(),
    /** Null when the request was dropped before verification. */
    signatureValid: z.boolean().nullable(),
    applied: z.boolean(),
    replayed: z.boolean(),
  }),
});
export type RecordedAction = z.infer<typeof RecordedAction>;

export const StateResponse = z.object({ stores: z.array(SimStoreState) });
export const StoreResponse = z.object({ store: SimStoreState });
export const ActionsResponse = z.object({ actions: z.array(RecordedAction) });
export const ClearedResponse = z.object({ cleared: z.number() });
