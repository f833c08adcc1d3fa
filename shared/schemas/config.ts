/**
 * The fleet config (docs/PROTOCOL.md section 2): limits, defaults, and the cross-field rules a JSON
 * schema cannot say (unique ids). Every other module reads a `FleetConfig` already parsed here.
 */
import { z } from 'zod';
import { checkLeaseConfig, LeasePolicyFields } from '../lease/lease-config.ts';
import { AlertSettings, DeadMan, RoutedChannel } from './alerting.ts';
import { FailoverMode, Id } from './common.ts';
import {
  Job,
  MaintenanceWindow,
  ResourceOverride,
  ResourceThresholds,
  StoreWindow as StoreWindowSchema,
} from './schedules.ts';

/** agent/config.ts checks its ids with the same pattern. */
export { FAILOVER_MODES, FailoverMode, ID_PATTERN } from './common.ts';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const FailoverPolicy = z.strictObject({
  mode: FailoverMode.default('manual'),
  thresholdSeconds: int(3, 3600).default(30),
  maxLagSeconds: z.number().min(0).max(86400).default(30),
  cooldownSeconds: int(0, 604800).default(3600),
  confirmTimeoutSeconds: int(10, 86400).default(900),
  promoteTimeoutSeconds: int(5, 3600).default(120),
  /** Contract section 6: default half the threshold (resolved when merged), and self-fencing on. */
  ...LeasePolicyFields,
});
export type FailoverPolicy = z.infer<typeof FailoverPolicy>;

/** Per-store overrides: any field of the policy, each optional, merged over the defaults. */
export const FailoverOverride = z.strictObject({
  mode: FailoverMode.optional(),
  thresholdSeconds: int(3, 3600).optional(),
  maxLagSeconds: z.number().min(0).max(86400).optional(),
  cooldownSeconds: int(0, 604800).optional(),
  confirmTimeoutSeconds: int(10, 86400).optional(),
  promoteTimeoutSeconds: int(5, 3600).optional(),
  ...LeasePolicyFields,
});
export type FailoverOverride = z.infer<typeof FailoverOverride>;

export const Defaults = z.strictObject({
  intervalSeconds: int(1, 300).default(5),
  timeoutMs: int(100, 30000).default(2000),
  failover: FailoverPolicy.prefault({}),
  resources: ResourceThresholds.prefault({}),
});
export type Defaults = z.infer<typeof Defaults>;

const AgentUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' })
  .max(2048)
  .refine((u) => !u.includes('?') && !u.includes('#'), 'must not carry a query or fragment');

const TcpTarget = z
  .string()
  .regex(/^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9A-Fa-f:]+\]:\d{1,5}$/, 'must be host:port')
  .refine((t) => {
    // Only a well-formed port is range-checked: a malformed target already says "must be host:port".
    const port = /:(\d{1,5})$/.exec(t)?.[1];
    return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  }, 'port must be 1..65535');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * The unique-id checks run even when other fields failed (zod skips refinements after most issues
 * by default), so a rejected config lists every problem at once. Other fields may then be invalid,
 * hence the defensive reads of `items`.
 */
const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null;

function reportDuplicateIds(
  items: unknown,
  what: string,
  path: PropertyKey[],
  ctx: { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void },
): void {
  if (!Array.isArray(items)) return;
  const seen = new Set<string>();
  items.forEach((item: unknown, i) => {
    const id = typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined;
    if (typeof id !== 'string') return;
    if (seen.has(id))
      ctx.addIssue({ code: 'custom', path: [...path, i, 'id'], message: `duplicate ${what} id "${id}"` });
    seen.add(id);
  });
}

export const NodeConfig = z.strictObject({
  id: Id,
  url: AgentUrl,
  tcp: TcpTarget.optional(),
  priority: int(0, 100).default(50),
});
export type NodeConfig = z.infer<typeof NodeConfig>;

export const StoreConfig = z
  .strictObject({
    id: Id,
    name: z.string().trim().min(1).max(200),
    region: z.string().trim().min(1).max(100).optional(),
    timezone: z.string().refine(isTimeZone, 'must be an IANA time zone').default('UTC'),
    public: z.boolean().default(true),
    activeEndpoint: AgentUrl,
    arbiter: z.strictObject({ url: AgentUrl }).optional(),
    nodes: z.array(NodeConfig).min(2, 'a store needs at least 2 nodes').max(9, 'at most 9 nodes'),
    failover: FailoverOverride.optional(),
    resources: ResourceOverride.optional(),
    /** Scheduled jobs that report by heartbeat (`POST /hooks/v1/heartbeat/:storeId/:jobId`). */
    jobs: z.array(Job).max(20).optional(),
  })
  .superRefine(
    (store, ctx) => {
      reportDuplicateIds(store.nodes, 'node', ['nodes'], ctx);
      reportDuplicateIds(store.jobs, 'job', ['jobs'], ctx);
    },
    { when: isObject },
  );
export type StoreConfig = z.infer<typeof StoreConfig>;

export const MAX_STORES = 5000;

export const FleetConfig = z
  .strictObject({
    version: z.literal(1),
    defaults: Defaults.prefault({}),
    stores: z.array(StoreConfig).max(MAX_STORES),
    alerts: AlertSettings.optional(),
    maintenance: z.array(MaintenanceWindow).max(500).optional(),
    /** Pinged by every watchdog cron run, so an outside service notices when the monitor stops. */
    deadMan: DeadMan.optional(),
  })
  .superRefine(checkReferences, { when: isObject });
export type FleetConfig = z.infer<typeof FleetConfig>;
export type FleetConfigInput = z.input<typeof FleetConfig>;

type Ctx = { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void };

/** Ids that must be unique, and names that must point at something in the same config. */
function checkReferences(fleet: Record<string, unknown>, ctx: Ctx): void {
  reportDuplicateIds(fleet.stores, 'store', ['stores'], ctx);
  const stores = Array.isArray(fleet.stores) ? (fleet.stores as Array<Partial<StoreConfig>>) : [];
  const storeIds = new Set(stores.map((s) => s?.id));
  const regions = new Set(stores.map((s) => s?.region));
  const selectors = (item: { stores?: unknown; regions?: unknown }, path: PropertyKey[]) => {
    if (Array.isArray(item.stores))
      item.stores.forEach((id, i) => {
        if (!storeIds.has(id))
          ctx.addIssue({ code: 'custom', path: [...path, 'stores', i], message: `no store "${id}"` });
      });
    if (Array.isArray(item.regions))
      item.regions.forEach((r, i) => {
        if (!regions.has(r))
          ctx.addIssue({ code: 'custom', path: [...path, 'regions', i], message: `no store is in region "${r}"` });
      });
  };
  const alerts = fleet.alerts as Partial<AlertSettings> | undefined;
  if (alerts && typeof alerts === 'object') {
    reportDuplicateIds(alerts.channels, 'channel', ['alerts', 'channels'], ctx);
    const channelIds = new Set(Array.isArray(alerts.channels) ? alerts.channels.map((c) => c?.id) : []);
    (Array.isArray(alerts.routes) ? alerts.routes : []).forEach((route, r) => {
      if (!route || typeof route !== 'object') return;
      selectors(route, ['alerts', 'routes', r]);
      (Array.isArray(route.channels) ? route.channels : []).forEach((id, i) => {
        if (!channelIds.has(id))
          ctx.addIssue({ code: 'custom', path: ['alerts', 'routes', r, 'channels', i], message: `no channel "${id}"` });
      });
    });
  }
  checkLeases(fleet, stores, ctx);
  reportDuplicateIds(fleet.maintenance, 'maintenance window', ['maintenance'], ctx);
  if (Array.isArray(fleet.maintenance))
    fleet.maintenance.forEach((w, i) => {
      if (w && typeof w === 'object') selectors(w, ['maintenance', i]);
    });
}

/**
 * Contract section 6's rule (`checkLeaseConfig`), whatever `selfFence` says, on the defaults and on
 * every store whose own failover settings change the lease or the threshold: each problem is reported once,
 * where it was written (`defaults.failover.leaseSeconds` or `stores[i].failover.leaseSeconds`).
 */
function checkLeases(fleet: Record<string, unknown>, stores: Array<Partial<StoreConfig>>, ctx: Ctx): void {
  // Only settings that are valid one by one are weighed: the schema already named what is not.
  const parsed = Defaults.safeParse(fleet.defaults ?? {});
  if (!parsed.success) return;
  const defaults = parsed.data;
  const policy = defaults.failover;
  const report = (merged: FailoverPolicy, path: PropertyKey[]) => {
    const check = checkLeaseConfig({
      thresholdSeconds: merged.thresholdSeconds,
      intervalSeconds: defaults.intervalSeconds,
      timeoutMs: defaults.timeoutMs,
      leaseSeconds: merged.leaseSeconds,
      selfFence: merged.selfFence,
    });
    if (check.ok) return;
    for (const p of check.problems)
      ctx.addIssue({ code: 'custom', path: [...path, ...p.path.split('.')], message: p.message });
  };
  report(policy, ['defaults']);
  stores.forEach((store, i) => {
    const own = FailoverOverride.safeParse(store?.failover);
    if (!own.success) return;
    const { leaseSeconds, thresholdSeconds } = own.data;
    if (leaseSeconds === undefined && thresholdSeconds === undefined) return;
    report({ ...policy, ...own.data }, ['stores', i]);
  });
}

const Alerting = z.object({
  channels: z.array(RoutedChannel),
  reminderMinutes: z.number().int(),
  flapSeconds: z.number().int(),
});

/**
 * What one StoreMonitor needs: its store with the defaults merged in, the alert channels routed
 * to it and the maintenance windows that cover it. The later fields default so that a monitor's
 * state saved before they existed still loads.
 */
export const MonitorConfigSchema = z.object({
  store: StoreConfig,
  intervalSeconds: int(1, 300),
  timeoutMs: int(100, 30000),
  failover: FailoverPolicy,
  resources: ResourceThresholds.prefault({}),
  alerts: Alerting.default({ channels: [], reminderMinutes: 60, flapSeconds: 60 }),
  maintenance: z.array(StoreWindowSchema).default([]),
});
export type MonitorConfig = z.infer<typeof MonitorConfigSchema>;
