/** Request and response bodies of the HTTP API that are not a StoreStatus (docs/PROTOCOL.md section 8). */
import { z } from 'zod';
import { StoreStatusName } from './status.ts';

export const ApiErrorDetail = z.object({ path: z.string(), message: z.string() });
export type ApiErrorDetail = z.infer<typeof ApiErrorDetail>;

export const ApiError = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(ApiErrorDetail).optional() }),
});
export type ApiError = z.infer<typeof ApiError>;

export const UPTIME_WINDOWS = ['24h', '7d', '30d', '90d'] as const;
export type UptimeWindow = (typeof UPTIME_WINDOWS)[number];

export const Uptime = z.object({
  '24h': z.number().nullable(),
  '7d': z.number().nullable(),
  '30d': z.number().nullable(),
  '90d': z.number().nullable(),
});
export type Uptime = z.infer<typeof Uptime>;

/** One day of a public store's 90-day bar, in the store's time zone. */
export const PublicDay = z.strictObject({
  date: z.string(),
  availability: z.number().nullable(),
  downtimeMinutes: z.number(),
  failovers: z.number().int(),
});
export type PublicDay = z.infer<typeof PublicDay>;

/** A period of trouble in public-safe words: no node names, hosts or reasons. */
export const PublicIncident = z.strictObject({
  kind: z.enum(['outage', 'degraded', 'failover', 'maintenance']),
  title: z.string(),
  start: z.string(),
  end: z.string().nullable(),
});
export type PublicIncident = z.infer<typeof PublicIncident>;

/** A planned maintenance window as the public may see it: when, never why. */
export const PublicWindow = z.strictObject({ start: z.string(), end: z.string() });
export type PublicWindow = z.infer<typeof PublicWindow>;

/** What a monitor hands the Fleet for the public page, every few minutes and when trouble starts or ends. */
export const PublicHistory = z.strictObject({
  uptime: Uptime,
  days: z.array(PublicDay),
  incidents: z.array(PublicIncident),
  /** The next planned maintenance within a week (rows stored before it existed have none). */
  planned: PublicWindow.nullable().default(null),
  /** Since when the store is monitored (ISO); null before any monitored time (rows stored before it existed have none). */
  monitoringSince: z.string().nullable().optional(),
});
export type PublicHistory = z.infer<typeof PublicHistory>;

/** Public status: deliberately a closed set of fields, so nothing internal can ride along. */
export const PublicStore = z.strictObject({
  id: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  status: StoreStatusName,
  since: z.string(),
  uptime: Uptime,
  /** Extension: the next planned maintenance within a week, or null. */
  nextMaintenance: PublicWindow.nullable(),
  /**
   * Extension: since when the store is monitored (ISO), or null before its first monitored minute;
   * a page shows "monitoring since …" where an uptime window has no figure yet. Always sent;
   * optional in the type only so that views built before it existed still type-check.
   */
  monitoringSince: z.string().nullable().optional(),
  /** Extension: when the store, after a failover, got its second node back; present for a day after. */
  redundancyRestoredAt: z.string().optional(),
});
export type PublicStore = z.infer<typeof PublicStore>;

export const PublicStatus = z.strictObject({
  generatedAt: z.string(),
  stores: z.array(PublicStore),
});
export type PublicStatus = z.infer<typeof PublicStatus>;

export const FailoverRequest = z.strictObject({
  reason: z.string().trim().min(1, 'a reason is required').max(500),
  target: z.string().min(1).max(64).optional(),
  allowDataLoss: z.boolean().optional(),
});
export type FailoverRequest = z.infer<typeof FailoverRequest>;

export const HookFailoverRequest = z.strictObject({
  store: z.string().min(1).max(64),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
  target: z.string().min(1).max(64).optional(),
  allowDataLoss: z.boolean().optional(),
});
export type HookFailoverRequest = z.infer<typeof HookFailoverRequest>;

/** `POST /api/v1/stores/:id/reinstate` (contract section 8): the fenced former primary to rebuild as a standby. */
export const ReinstateRequest = z.strictObject({
  node: z.string().min(1).max(64),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
});
export type ReinstateRequest = z.infer<typeof ReinstateRequest>;

/** One reinstatement the monitor sent and has not yet seen through: the 202 answer of the reinstate route. */
export const PendingReinstatement = z.object({
  node: z.string(),
  epoch: z.number().int(),
  primary: z.string(),
  failoverId: z.string(),
  requestedBy: z.string(),
  reason: z.string(),
  requestedAt: z.number(),
  sentAt: z.number(),
  attempts: z.number().int(),
  /**
   * The agent's last answer: `accepted`; `unreachable` (re-sent after REINSTATE_EVERY_MS); `refused`
   * (kept that long only, so auto-reinstatement does not ask again every round).
   */
  outcome: z.enum(['accepted', 'unreachable', 'refused']),
  detail: z.string(),
});
export type PendingReinstatement = z.infer<typeof PendingReinstatement>;
