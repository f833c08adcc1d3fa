/** What the API says about a store (docs/PROTOCOL.md section 8): StoreStatus, Failover, events. */
import { z } from 'zod';
import { FailoverMode, Iso } from './common.ts';
import { NodeRole } from './report.ts';

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
export const StoreStatusName = z.enum(STORE_STATUSES);
export type StoreStatusName = z.infer<typeof StoreStatusName>;

export const FAILOVER_STATES = ['awaiting_confirm', 'fencing', 'promoting', 'completed', 'failed', 'aborted'] as const;
export const FailoverState = z.enum(FAILOVER_STATES);
export type FailoverState = z.infer<typeof FailoverState>;

export const Failover = z.object({
  id: z.string(),
  epoch: z.number().int(),
  from: z.string().nullable(),
  to: z.string(),
  mode: z.enum(['auto', 'manual', 'hook']),
  requestedBy: z.string(),
  reason: z.string(),
  state: FailoverState,
  detectedAt: Iso.nullable(),
  decidedAt: Iso,
  completedAt: Iso.nullable(),
  lagSecondsAtDecision: z.number().nullable(),
  dataLossAllowed: z.boolean(),
  /** Extension: why a failover failed or was aborted. */
  error: z.string().nullable().optional(),
});
export type Failover = z.infer<typeof Failover>;

export const NodeStatus = z.object({
  id: z.string(),
  role: NodeRole,
  reachable: z.boolean(),
  healthy: z.boolean(),
  latencyMs: z.number().nullable(),
  lastSeenAt: Iso.nullable(),
  /** Extensions. */
  epoch: z.number().int().nullable().optional(),
  lagSeconds: z.number().nullable().optional(),
  error: z.string().nullable().optional(),
  needsReinstatement: z.boolean().optional(),
  /** The node fenced itself for want of a lease and a standby (contract section 6); a lease lifts it. */
  selfFenced: z.boolean().optional(),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const StoreStatus = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  status: StoreStatusName,
  since: Iso,
  primary: z.string().nullable(),
  epoch: z.number().int(),
  lagSeconds: z.number().nullable(),
  nodes: z.array(NodeStatus),
  arbiter: z.object({ reachable: z.boolean() }).nullable(),
  reasons: z.array(z.string()),
  lastFailover: Failover.nullable(),
  checkedAt: Iso.nullable(),
  /** Extensions. */
  activeEndpoint: z.object({ reachable: z.boolean() }).optional(),
  failoverMode: FailoverMode.optional(),
  /** Counters since the monitor last started (Prometheus handles their resets). */
  counters: z
    .object({
      rounds: z.number().int(),
      probes: z.number().int(),
      /** SQLite rows the monitor wrote (Cloudflare bills rows written; alarms are billed besides). */
      rowsWritten: z.number().int().optional(),
      failovers: z.object({ completed: z.number().int(), failed: z.number().int(), aborted: z.number().int() }),
    })
    .optional(),
});
export type StoreStatus = z.infer<typeof StoreStatus>;

export const EVENT_TYPES = ['status', 'config', 'failover', 'monitor', 'alert', 'maintenance', 'job'] as const;
export const EventType = z.enum(EVENT_TYPES);
export const StoreEvent = z.object({
  /** Extension: the event's id, increasing; the events API pages by it. */
  id: z.number().int().optional(),
  at: Iso,
  type: EventType,
  status: StoreStatusName.optional(),
  message: z.string(),
});
export type StoreEvent = z.infer<typeof StoreEvent>;
