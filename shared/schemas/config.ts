/**
 * The fleet config (CONTRACT.md section 2): limits, defaults, and the cross-field rules a JSON
 * schema cannot say (unique ids). Every other module reads a `FleetConfig` already parsed here.
 */
import { z } from 'zod';

export const FAILOVER_MODES = ['auto', 'manual', 'off'] as const;
export const FailoverMode = z.enum(FAILOVER_MODES);
export type FailoverMode = z.infer<typeof FailoverMode>;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const FailoverPolicy = z.strictObject({
  mode: FailoverMode.default('manual'),
  thresholdSeconds: int(3, 3600).default(30),
  maxLagSeconds: z.number().min(0).max(86400).default(30),
  cooldownSeconds: int(0, 604800).default(3600),
  confirmTimeoutSeconds: int(10, 86400).default(900),
  promoteTimeoutSeconds: int(5, 3600).default(120),
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
});
export type FailoverOverride = z.infer<typeof FailoverOverride>;

export const Defaults = z.strictObject({
  intervalSeconds: int(1, 300).default(5),
  timeoutMs: int(100, 30000).default(2000),
  failover: FailoverPolicy.prefault({}),
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

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const Id = z.string().regex(ID_PATTERN, 'must match ^[a-z0-9][a-z0-9-]{0,63}$');

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
  })
  .superRefine((store, ctx) => reportDuplicateIds(store.nodes, 'node', ['nodes'], ctx), { when: isObject });
export type StoreConfig = z.infer<typeof StoreConfig>;

export const MAX_STORES = 5000;

export const FleetConfig = z
  .strictObject({
    version: z.literal(1),
    defaults: Defaults.prefault({}),
    stores: z.array(StoreConfig).max(MAX_STORES),
  })
  .superRefine((fleet, ctx) => reportDuplicateIds(fleet.stores, 'store', ['stores'], ctx), { when: isObject });
export type FleetConfig = z.infer<typeof FleetConfig>;
export type FleetConfigInput = z.input<typeof FleetConfig>;

/** What one StoreMonitor needs: its store with the defaults merged in. */
export const MonitorConfigSchema = z.object({
  store: StoreConfig,
  intervalSeconds: int(1, 300),
  timeoutMs: int(100, 30000),
  failover: FailoverPolicy,
});
export type MonitorConfig = z.infer<typeof MonitorConfigSchema>;

export function monitorConfigFor(fleet: FleetConfig, store: StoreConfig): MonitorConfig {
  return {
    store,
    intervalSeconds: fleet.defaults.intervalSeconds,
    timeoutMs: fleet.defaults.timeoutMs,
    failover: { ...fleet.defaults.failover, ...store.failover },
  };
}
