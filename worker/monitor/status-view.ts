/** Turns a Classification (and what the monitor knows besides) into the contract's StoreStatus. */
import type { Classification } from '#shared/classify.ts';
import { iso, isoOrNull } from '#shared/iso-time.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import type { Failover, StoreStatus, StoreStatusName } from '#shared/schemas/status.ts';

export interface StatusInput {
  config: MonitorConfig;
  classification: Classification;
  status: StoreStatusName;
  reasons: string[];
  since: number;
  checkedAt: number | null;
  lastFailover: Failover | null;
  counters: NonNullable<StoreStatus['counters']>;
}

export function toStoreStatus(input: StatusInput): StoreStatus {
  const { config, classification: c } = input;
  return {
    id: config.store.id,
    name: config.store.name,
    region: config.store.region ?? null,
    status: input.status,
    since: iso(input.since),
    primary: c.primary,
    epoch: c.epoch,
    lagSeconds: c.lagSeconds,
    nodes: c.nodes.map((n) => ({
      id: n.id,
      role: n.role,
      reachable: n.reachable,
      healthy: n.healthy,
      latencyMs: n.latencyMs,
      lastSeenAt: isoOrNull(n.lastSeenAt),
      epoch: n.epoch,
      lagSeconds: n.lagSeconds,
      error: n.error,
      needsReinstatement: n.needsReinstatement,
    })),
    arbiter: c.arbiterReachable === null ? null : { reachable: c.arbiterReachable },
    reasons: input.reasons,
    lastFailover: input.lastFailover,
    checkedAt: isoOrNull(input.checkedAt),
    activeEndpoint: { reachable: c.activeReachable },
    failoverMode: config.failover.mode,
    counters: input.counters,
  };
}

/**
 * The part of a status worth a storage write and a push to every open browser: everything but
 * the figures that move every round (latency, lag, last-seen and check times).
 */
export function significantKey(status: StoreStatus): string {
  return JSON.stringify({
    ...status,
    checkedAt: null,
    counters: { rounds: 0, probes: 0, rowsWritten: 0, failovers: status.counters?.failovers },
    lagSeconds: status.lagSeconds === null,
    nodes: status.nodes.map((n) => ({ ...n, latencyMs: null, lastSeenAt: null, lagSeconds: null })),
  });
}
