/**
 * What the server sends (docs/PROTOCOL.md section 8 and the stream), validated in the extension.
 *
 * These mirror `shared/schemas/status.ts`, `stream.ts` and `api.ts`, written with guard.ts instead
 * of zod to fit the bundle budgets (see guard.ts). They must stay identical to the shared ones:
 * test/extension/wire-matches-shared.test.ts checks that the inferred types are equal (so changing
 * a shared schema fails `npm test` until this file follows) and that both accept and refuse the
 * same fixtures.
 */
import * as g from './guard.ts';

export const STORE_STATUSES = [
  'healthy',
  'degraded',
  'primary_down',
  'awaiting_confirm',
  'failing_over',
  'split_brain',
  'store_unreachable',
  'maintenance',
  'unknown',
] as const;
export const StoreStatusName = g.enumOf(STORE_STATUSES);
export type StoreStatusName = g.Infer<typeof StoreStatusName>;

const Iso = g.isoDateTime();

export const FailoverState = g.enumOf(['awaiting_confirm', 'fencing', 'promoting', 'completed', 'failed', 'aborted']);
export type FailoverState = g.Infer<typeof FailoverState>;

export const Failover = g.object({
  id: g.string(),
  epoch: g.int(),
  from: g.nullable(g.string()),
  to: g.string(),
  mode: g.enumOf(['auto', 'manual', 'hook']),
  requestedBy: g.string(),
  reason: g.string(),
  state: FailoverState,
  detectedAt: g.nullable(Iso),
  decidedAt: Iso,
  completedAt: g.nullable(Iso),
  lagSecondsAtDecision: g.nullable(g.number()),
  dataLossAllowed: g.boolean(),
  error: g.optional(g.nullable(g.string())),
});
export type Failover = g.Infer<typeof Failover>;

export const NodeStatus = g.object({
  id: g.string(),
  role: g.enumOf(['primary', 'standby', 'arbiter', 'unknown']),
  reachable: g.boolean(),
  healthy: g.boolean(),
  latencyMs: g.nullable(g.number()),
  lastSeenAt: g.nullable(Iso),
  epoch: g.optional(g.nullable(g.int())),
  lagSeconds: g.optional(g.nullable(g.number())),
  error: g.optional(g.nullable(g.string())),
  needsReinstatement: g.optional(g.boolean()),
  selfFenced: g.optional(g.boolean()),
});
export type NodeStatus = g.Infer<typeof NodeStatus>;

const Reachable = g.object({ reachable: g.boolean() });

export const StoreStatus = g.object({
  id: g.string(),
  name: g.string(),
  region: g.nullable(g.string()),
  status: StoreStatusName,
  since: Iso,
  primary: g.nullable(g.string()),
  epoch: g.int(),
  lagSeconds: g.nullable(g.number()),
  nodes: g.array(NodeStatus),
  arbiter: g.nullable(Reachable),
  reasons: g.array(g.string()),
  lastFailover: g.nullable(Failover),
  checkedAt: g.nullable(Iso),
  activeEndpoint: g.optional(Reachable),
  failoverMode: g.optional(g.enumOf(['auto', 'manual', 'off'])),
  counters: g.optional(
    g.object({
      rounds: g.int(),
      probes: g.int(),
      rowsWritten: g.optional(g.int()),
      failovers: g.object({ completed: g.int(), failed: g.int(), aborted: g.int() }),
    }),
  ),
});
export type StoreStatus = g.Infer<typeof StoreStatus>;

export const ServerMessage = g.discriminatedUnion('type', [
  g.object({ type: g.literal('snapshot'), at: g.string(), stores: g.array(StoreStatus) }),
  g.object({ type: g.literal('store'), at: g.string(), store: StoreStatus }),
  g.object({ type: g.literal('removed'), at: g.string(), id: g.string() }),
  g.object({ type: g.literal('error'), code: g.string(), message: g.string() }),
]);
export type ServerMessage = g.Infer<typeof ServerMessage>;

/** `GET /api/v1/stores`. */
export const StoresBody = g.object({ stores: g.array(StoreStatus) });

/** 202 of `POST /api/v1/stores/:id/failover`. */
export const FailoverAccepted = g.object({ failover: Failover });

export const ApiErrorDetail = g.object({ path: g.string(), message: g.string() });
export type ApiErrorDetail = g.Infer<typeof ApiErrorDetail>;
export const ApiError = g.object({
  error: g.object({ code: g.string(), message: g.string(), details: g.optional(g.array(ApiErrorDetail)) }),
});
export type ApiError = g.Infer<typeof ApiError>;
