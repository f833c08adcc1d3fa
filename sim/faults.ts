/**
 * Applies one injected fault to a simulated store (all but `reset`, which replaces the whole store
 * and is done by FleetSim). Throws HttpError 404 for a node the store does not have, 409 for a fault
 * that makes no sense in the current state. Returns a log line saying what changed where.
 */
import { HttpError } from '#agent/http-json.ts';
import type { FaultRequest } from './control-schema.ts';
import type { Responding, SimArbiter, SimNode, SimStore, WanCutMode } from './model.ts';
import { findNode, primaryOf } from './store-model.ts';

type Target = { kind: 'node'; node: SimNode } | { kind: 'arbiter'; arbiter: SimArbiter };

/** A node by id; without an id, the current primary. */
function nodeTarget(store: SimStore, id: string | undefined): SimNode {
  const where = store.spec.id;
  if (id === undefined) {
    const primary = primaryOf(store);
    if (!primary) throw new HttpError(409, 'no_primary', `store ${where} has no primary to target; name a node`);
    return primary;
  }
  const node = findNode(store, id);
  if (!node) {
    const known = store.nodes.map((n) => n.id).join(', ');
    throw new HttpError(404, 'unknown_node', `store ${where} has no node "${id}" (nodes: ${known})`);
  }
  return node;
}

/** As nodeTarget, but `arbiter` (or the arbiter's id) names the store's arbiter. */
function target(store: SimStore, id: string | undefined): Target {
  if (id !== undefined && (id === 'arbiter' || id === store.arbiter?.id)) {
    if (!store.arbiter) throw new HttpError(404, 'unknown_node', `store ${store.spec.id} has no arbiter`);
    return { kind: 'arbiter', arbiter: store.arbiter };
  }
  return { kind: 'node', node: nodeTarget(store, id) };
}

function nameOf(t: Target): string {
  return t.kind === 'node' ? t.node.id : t.arbiter.id;
}

function setResponding(store: SimStore, id: string | undefined, responding: Responding): string {
  const t = target(store, id);
  if (t.kind === 'node') t.node.responding = responding;
  else t.arbiter.responding = responding;
  return `${store.spec.id}/${nameOf(t)} answers ${responding}`;
}

function restore(store: SimStore, id: string | undefined): string {
  const targets: Target[] =
    id === undefined
      ? [
          ...store.nodes.map((node): Target => ({ kind: 'node', node })),
          ...(store.arbiter ? [{ kind: 'arbiter', arbiter: store.arbiter } as const] : []),
        ]
      : [target(store, id)];
  for (const t of targets) {
    if (t.kind === 'node') {
      t.node.crashed = false;
      t.node.flap = null;
      t.node.responding = 'ok';
      t.node.isolated = false;
    } else {
      t.arbiter.crashed = false;
      t.arbiter.responding = 'ok';
    }
  }
  return `${store.spec.id}/${id ?? '*'} restored`;
}

export function applyFault(
  store: SimStore,
  fault: Exclude<FaultRequest, { fault: 'reset' }>,
  now: number,
  defaultWanCut: WanCutMode,
): string {
  const where = store.spec.id;
  switch (fault.fault) {
    case 'crash': {
      const t = target(store, fault.node);
      if (t.kind === 'node') {
        t.node.crashed = true;
        t.node.flap = null;
      } else {
        t.arbiter.crashed = true;
      }
      return `${where}/${nameOf(t)} crashed`;
    }
    case 'restore':
      return restore(store, fault.node);
    case 'wan-cut':
      store.wanCut = fault.mode ?? defaultWanCut;
      return `${where} WAN cut (${store.wanCut})`;
    case 'wan-restore':
      store.wanCut = null;
      return `${where} WAN restored`;
    case 'lag': {
      const nodes =
        fault.node === undefined ? store.nodes.filter((n) => n.role === 'standby') : [nodeTarget(store, fault.node)];
      for (const node of nodes) node.injectedLagSeconds = fault.seconds;
      return `${where}/${nodes.map((n) => n.id).join(',')} lag ${fault.seconds} s`;
    }
    case 'isolate': {
      const node = nodeTarget(store, fault.node);
      node.isolated = true;
      return `${where}/${node.id} isolated: the edge, its peers and the arbiter lose it, its clients still reach it`;
    }
    case 'partition':
      store.partitioned = true;
      return `${where} partitioned: nodes cannot reach each other, the arbiter sees all`;
    case 'heal':
      store.partitioned = false;
      for (const node of store.nodes) {
        node.isolated = false;
        node.injectedLagSeconds = null;
        node.injectedDiskPercent = null;
      }
      return `${where} healed: partition, isolation, injected lag and disk fill cleared`;
    case 'disk': {
      const node = nodeTarget(store, fault.node);
      node.injectedDiskPercent = fault.percent;
      return `${where}/${node.id} disk ${fault.percent} % full`;
    }
    case 'flap': {
      const node = nodeTarget(store, fault.node);
      node.crashed = false;
      node.flap = { periodMs: fault.seconds * 1000, since: now };
      return `${where}/${node.id} flapping every ${fault.seconds} s`;
    }
    case 'http500':
    case 'garbage':
      return setResponding(store, fault.node, fault.fault);
    case 'reinstate': {
      const node = nodeTarget(store, fault.node);
      node.fenced = false;
      node.selfFencedAt = null;
      node.lease = null;
      node.staleOnReturn = false;
      node.role = 'standby';
      return `${where}/${node.id} reinstated as a standby`;
    }
  }
}
