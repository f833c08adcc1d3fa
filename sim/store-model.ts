/**
 * How a simulated store behaves: who is down, who the primary is, whether a standby's stream is up,
 * and the transitions a real pair would go through (promotion, fencing, a stale primary's return).
 * Functions of the state and `now` only; `settle` is the one place where time passing changes state.
 */
import { decideSelfFence, keepLease } from '#shared/lease/self-fence.ts';
import type { SimNode, SimStore } from './model.ts';
import { round, unit } from './noise.ts';

export function findNode(store: SimStore, nodeId: string): SimNode | undefined {
  return store.nodes.find((n) => n.id === nodeId);
}

/** Crashed, or in the down half of a flap cycle. */
export function isDown(node: SimNode, now: number): boolean {
  if (node.crashed) return true;
  if (!node.flap) return false;
  const phase = Math.floor(Math.max(0, now - node.flap.since) / node.flap.periodMs);
  return phase % 2 === 0;
}

/** Its database answers: the host is up and it is not fenced. */
export function databaseUp(node: SimNode, now: number): boolean {
  return !node.fenced && !isDown(node, now);
}

/** The primary of the newest generation, up or down; null when every primary is fenced. */
export function primaryOf(store: SimStore): SimNode | null {
  let best: SimNode | null = null;
  for (const node of store.nodes) {
    if (node.role !== 'primary' || node.fenced) continue;
    if (!best || node.epoch > best.epoch) best = node;
  }
  return best;
}

/** The node holding the active IP: the primary while it is up. */
export function activeHolder(store: SimStore, now: number): SimNode | null {
  const primary = primaryOf(store);
  return primary && !isDown(primary, now) ? primary : null;
}

export function storeEpoch(store: SimStore): number {
  return Math.max(...store.nodes.map((n) => n.epoch), store.arbiter?.epoch ?? 0);
}

/** Whether `standby` receives WAL from the primary right now. */
export function streamUp(store: SimStore, standby: SimNode, now: number): boolean {
  const primary = primaryOf(store);
  if (!primary || primary === standby || standby.role !== 'standby') return false;
  if (primary.isolated || standby.isolated) return false;
  return !store.partitioned && databaseUp(primary, now) && databaseUp(standby, now);
}

/** Streaming lag: the injected figure, else the node's base lag with a little deterministic jitter. */
export function currentLag(store: SimStore, node: SimNode, now: number): number {
  if (node.injectedLagSeconds !== null) return node.injectedLagSeconds;
  const jitter = unit(store.spec.seed, store.spec.id, node.id, 'lag', Math.floor(now / 5000));
  return round(node.baseLagSeconds * (0.5 + jitter), 3);
}

/** Whether the arbiter reaches a node's database. */
export function arbiterSees(node: SimNode, now: number): boolean {
  return !node.isolated && databaseUp(node, now);
}

/**
 * Brings the state up to `now`: a stale primary that is back up is fenced; streaming standbys follow
 * the primary's epoch and record their lag; the arbiter learns the epochs it sees. Returns what
 * happened worth a log line.
 */
export function settle(store: SimStore, now: number): string[] {
  const events: string[] = [];
  for (const node of store.nodes) {
    if (node.staleOnReturn && !isDown(node, now)) {
      node.staleOnReturn = false;
      node.fenced = true;
      events.push(`${store.spec.id}/${node.id} came back as a stale primary at epoch ${node.epoch}: fenced`);
    }
  }
  const primary = primaryOf(store);
  for (const node of store.nodes) {
    if (primary && streamUp(store, node, now)) {
      node.epoch = Math.max(node.epoch, primary.epoch);
      node.lastStreamingLag = currentLag(store, node, now);
      node.peerContactAt = now;
      primary.peerContactAt = now;
    }
  }
  for (const node of store.nodes) {
    const line = selfFenceStep(store, node, now);
    if (line) events.push(line);
  }
  if (store.arbiter && !store.arbiter.crashed) {
    for (const node of store.nodes) {
      if (arbiterSees(node, now)) store.arbiter.epoch = Math.max(store.arbiter.epoch, node.epoch);
    }
  }
  return events;
}

/**
 * `target` becomes primary at `epoch`, as `pg_ctl promote` would. A primary that is down at this
 * moment is marked to come back fenced; one that is up keeps running (only fencing stops it), which
 * is how a split brain happens. Returns a log line.
 */
export function applyPromotion(store: SimStore, target: SimNode, epoch: number, now: number): string {
  const where = `${store.spec.id}/${target.id}`;
  if (isDown(target, now)) return `promotion of ${where} to epoch ${epoch} lost: the node is down`;
  if (target.epoch >= epoch)
    return `promotion of ${where} to epoch ${epoch} superseded: it follows epoch ${target.epoch}`;
  for (const node of store.nodes) {
    if (node !== target && node.role === 'primary' && !node.fenced && isDown(node, now)) node.staleOnReturn = true;
  }
  target.role = 'primary';
  target.epoch = epoch;
  target.fenced = false;
  target.selfFencedAt = null;
  // A promotion counts as a lease at its new epoch (shared/lease/self-fence.ts).
  const seconds = store.selfFence?.leaseSeconds ?? 0;
  target.lease = keepLease(target.lease, { epoch, seconds, receivedAt: now }, epoch);
  target.staleOnReturn = false;
  target.injectedLagSeconds = null;
  settle(store, now);
  return `${where} promoted to primary at epoch ${target.epoch}`;
}

/** The node stops its database for writes and releases the active IP, following `epoch`. */
export function applyFence(store: SimStore, node: SimNode, epoch: number): string {
  node.fenced = true;
  node.selfFencedAt = null;
  node.staleOnReturn = false;
  node.epoch = Math.max(node.epoch, epoch);
  return `${store.spec.id}/${node.id} fenced at epoch ${node.epoch}`;
}

/**
 * The primary's self-fence, decided by the agent's own pure function (contract section 6) on the
 * sim's clock: a standby streaming from it is a reply received now; a lease is what `takeLease`
 * kept. Evaluated whenever the store is settled (every request), so a fence lands at the first
 * settle after its moment, not at `checkAt` itself. A down node decides nothing (it takes no writes).
 * Returns a log line when it fenced itself or lifted its fence.
 */
export function selfFenceStep(store: SimStore, node: SimNode, now: number): string | null {
  if (node.role !== 'primary' || isDown(node, now)) return null;
  if (!node.fenced && node.selfFencedAt !== null) node.selfFencedAt = null;
  const decision = decideSelfFence({
    now,
    epoch: node.epoch,
    enabled: store.selfFence !== null,
    leaseSeconds: store.selfFence?.leaseSeconds ?? 0,
    lease: node.lease,
    standbyReplyAt: node.peerContactAt,
    fencedByMonitor: node.fenced && node.selfFencedAt === null,
    selfFencedAt: node.selfFencedAt,
  });
  const where = `${store.spec.id}/${node.id}`;
  if (decision.action === 'fence') {
    node.fenced = true;
    node.selfFencedAt = now;
    return `${where} fenced itself at epoch ${node.epoch}: ${decision.reason}`;
  }
  if (decision.action === 'lift') {
    node.fenced = false;
    node.selfFencedAt = null;
    return `${where} lifted its self-fence at epoch ${node.epoch}: ${decision.reason}`;
  }
  return null;
}

/** A verified lease reached `node` now: kept as the agent keeps it. */
export function takeLease(node: SimNode, epoch: number, seconds: number, now: number): void {
  node.lease = keepLease(node.lease, { epoch, seconds, receivedAt: now }, node.epoch);
}
