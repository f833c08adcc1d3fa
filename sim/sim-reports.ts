/**
 * What simulated agents say: the health report of a node or an arbiter (docs/PROTOCOL.md section 3) and
 * the control API's view of a store. Reads a settled store; changes nothing.
 *
 * A fenced node reports `role: "unknown"`, `fenced: true`, `healthy: false`: it no longer serves
 * writes and is not a standby either until an operator rebuilds it, so neither role would be honest.
 * A standby whose stream is gone reports `disconnected`, `primaryReachable: false` and the lag it
 * had when the stream dropped (what a promotion now would lose), and how long ago it last was in
 * contact with the primary (`primaryContactAgeSeconds`). A node that fenced itself adds `selfFenced`.
 */
import type { AgentReport } from '#shared/schemas/report.ts';
import type { SimNodeState, SimStoreState } from './control-schema.ts';
import type { SimNode, SimStore } from './model.ts';
import { round, unit } from './noise.ts';
import { activeHolder, arbiterSees, currentLag, isDown, primaryOf, storeEpoch, streamUp } from './store-model.ts';

function resources(
  store: SimStore,
  who: string,
  busy: boolean,
  now: number,
  diskOverride: number | null = null,
): NonNullable<AgentReport['resources']> {
  const minute = Math.floor(now / 60_000);
  const cpu = unit(store.spec.seed, store.spec.id, who, 'cpu', Math.floor(now / 5000));
  const memory = unit(store.spec.seed, store.spec.id, who, 'mem', minute);
  const disk = unit(store.spec.seed, store.spec.id, who, 'disk', Math.floor(minute / 1440));
  return {
    cpuPercent: round((busy ? 15 : 3) + cpu * (busy ? 50 : 20), 1),
    memoryPercent: round(35 + memory * 40, 1),
    diskPercent: diskOverride ?? round(40 + disk * 45, 1),
  };
}

export function nodeReport(store: SimStore, node: SimNode, now: number): AgentReport {
  const base = { node: node.id, epoch: node.epoch, time: new Date(now).toISOString() };
  if (node.fenced) {
    return {
      ...base,
      role: 'unknown',
      healthy: false,
      fenced: true,
      selfFenced: node.selfFencedAt !== null,
      resources: resources(store, node.id, false, now, node.injectedDiskPercent),
    };
  }
  if (node.role === 'primary') {
    return {
      ...base,
      role: 'primary',
      healthy: true,
      resources: resources(store, node.id, true, now, node.injectedDiskPercent),
    };
  }
  const streaming = streamUp(store, node, now);
  const lagSeconds = streaming ? currentLag(store, node, now) : node.lastStreamingLag;
  return {
    ...base,
    role: 'standby',
    healthy: true,
    replication: {
      state: streaming ? 'streaming' : 'disconnected',
      primaryReachable: streaming,
      lagSeconds,
      lagBytes: Math.round(lagSeconds * store.spec.walBytesPerSecond),
      synchronous: false,
      primaryContactAgeSeconds: streaming ? 0 : Math.max(0, (now - (node.peerContactAt ?? 0)) / 1000),
    },
    resources: resources(store, node.id, false, now, node.injectedDiskPercent),
  };
}

export function arbiterReport(store: SimStore, now: number): AgentReport | null {
  const arbiter = store.arbiter;
  if (!arbiter) return null;
  return {
    node: arbiter.id,
    role: 'arbiter',
    epoch: arbiter.epoch,
    healthy: true,
    time: new Date(now).toISOString(),
    sees: Object.fromEntries(store.nodes.map((n) => [n.id, arbiterSees(n, now)])),
    resources: resources(store, arbiter.id, false, now),
  };
}

export interface PendingPromotion {
  node: string;
  epoch: number;
  dueAt: number;
}

function nodeState(store: SimStore, node: SimNode, now: number): SimNodeState {
  const down = isDown(node, now);
  return {
    id: node.id,
    role: node.role,
    epoch: node.epoch,
    priority: node.priority,
    fenced: node.fenced,
    crashed: node.crashed,
    down,
    flapSeconds: node.flap ? node.flap.periodMs / 1000 : null,
    responding: node.responding,
    report: down ? null : nodeReport(store, node, now),
  };
}

export function storeState(store: SimStore, pending: readonly PendingPromotion[], now: number): SimStoreState {
  const { spec, arbiter } = store;
  return {
    id: spec.id,
    name: spec.name,
    region: spec.region,
    mode: spec.mode,
    epoch: storeEpoch(store),
    primary: primaryOf(store)?.id ?? null,
    activeHolder: activeHolder(store, now)?.id ?? null,
    wanCut: store.wanCut,
    partitioned: store.partitioned,
    pendingPromotions: pending.map((p) => ({ node: p.node, epoch: p.epoch, dueAt: new Date(p.dueAt).toISOString() })),
    nodes: store.nodes.map((n) => nodeState(store, n, now)),
    arbiter: arbiter
      ? {
          id: arbiter.id,
          crashed: arbiter.crashed,
          responding: arbiter.responding,
          report: arbiter.crashed ? null : arbiterReport(store, now),
        }
      : null,
  };
}
