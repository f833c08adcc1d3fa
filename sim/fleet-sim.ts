/**
 * The simulated fleet: every store's state, its clock, the promotions in flight and the log of what
 * changed. HTTP handlers and the control API go through this class; the behaviour itself lives in
 * store-model.ts (transitions), faults.ts (injections) and sim-reports.ts (what agents say).
 */

import type { ActionOutcome } from '#agent/backend.ts';
import { HttpError } from '#agent/http-json.ts';
import type { IdempotencyLedger } from '#agent/idempotency-ledger.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import type { FaultRequest, SimStoreState } from './control-schema.ts';
import { applyFault } from './faults.ts';
import {
  createStore,
  type SimNode,
  type SimStore,
  type StoreBaseline,
  type StoreSpec,
  type WanCutMode,
} from './model.ts';
import { arbiterReport, nodeReport, type PendingPromotion, storeState } from './sim-reports.ts';
import { applyFence, applyPromotion, findNode, primaryOf, settle, storeEpoch, takeLease } from './store-model.ts';

export interface FleetSimOptions {
  /** Milliseconds since the epoch; the model's only clock. */
  now?: () => number;
  /** How long a promotion takes after it is accepted; 0 applies it before answering. */
  promoteDelayMs?: number;
  /** What `wan-cut` does when the request does not say. */
  wanCutMode?: WanCutMode;
  /**
   * Leases and self-fencing (contract section 6) with this lease length; off by default, since a
   * primary would fence itself whenever its standby is lost until the monitor sends leases.
   */
  selfFence?: { leaseSeconds: number } | null;
  log?: (line: string) => void;
  /** Stores that start where a previous run left them (a restarted demo): primary and epoch. */
  baselines?: Readonly<Record<string, StoreBaseline>>;
}

/** The node of a store already looked up; 404 when the store has no such node. */
export function requireNodeOf(store: SimStore, nodeId: string): SimNode {
  const node = findNode(store, nodeId);
  if (!node) throw new HttpError(404, 'unknown_node', `store ${store.spec.id} has no node "${nodeId}"`);
  return node;
}

/** The newest generation's primary (or the first node when every primary is fenced) and the epoch. */
function baselineOf(store: SimStore): StoreBaseline {
  return { epoch: storeEpoch(store), primary: primaryOf(store)?.id ?? store.spec.nodes[0]?.id ?? '' };
}

interface Pending extends PendingPromotion {
  timer: ReturnType<typeof setTimeout>;
}

export class FleetSim {
  readonly now: () => number;
  readonly promoteDelayMs: number;
  readonly wanCutMode: WanCutMode;
  readonly selfFence: { leaseSeconds: number } | null;
  readonly #log: (line: string) => void;
  readonly #stores = new Map<string, SimStore>();
  readonly #pending = new Map<string, Set<Pending>>();

  constructor(specs: readonly StoreSpec[], options: FleetSimOptions = {}) {
    this.now = options.now ?? Date.now;
    this.promoteDelayMs = options.promoteDelayMs ?? 300;
    this.wanCutMode = options.wanCutMode ?? 'hang';
    this.selfFence = options.selfFence ?? null;
    this.#log = options.log ?? (() => {});
    for (const spec of specs) {
      if (this.#stores.has(spec.id)) throw new Error(`duplicate store id "${spec.id}" in the simulated fleet`);
      this.#stores.set(spec.id, createStore(spec, options.baselines?.[spec.id], this.selfFence, this.now()));
    }
  }

  get size(): number {
    return this.#stores.size;
  }

  /** The store brought up to now, or undefined when the fleet has no such store. */
  store(storeId: string): SimStore | undefined {
    const store = this.#stores.get(storeId);
    if (store) for (const line of settle(store, this.now())) this.#log(line);
    return store;
  }

  requireStore(storeId: string): SimStore {
    const store = this.store(storeId);
    if (!store) throw new HttpError(404, 'unknown_store', `no simulated store "${storeId}"`);
    return store;
  }

  requireNode(storeId: string, nodeId: string): { store: SimStore; node: SimNode } {
    const store = this.requireStore(storeId);
    return { store, node: requireNodeOf(store, nodeId) };
  }

  nodeReport(storeId: string, nodeId: string): AgentReport {
    const { store, node } = this.requireNode(storeId, nodeId);
    return nodeReport(store, node, this.now());
  }

  arbiterReport(storeId: string): AgentReport {
    const report = arbiterReport(this.requireStore(storeId), this.now());
    if (!report) throw new HttpError(404, 'unknown_node', `store ${storeId} has no arbiter`);
    return report;
  }

  ledger(storeId: string, nodeId: string): IdempotencyLedger {
    return this.requireNode(storeId, nodeId).node.ledger;
  }

  state(storeId: string): SimStoreState {
    const store = this.requireStore(storeId);
    return storeState(store, [...(this.#pending.get(storeId) ?? [])], this.now());
  }

  states(): SimStoreState[] {
    return [...this.#stores.keys()].map((id) => this.state(id));
  }

  inject(storeId: string, fault: FaultRequest): SimStoreState {
    const store = this.requireStore(storeId);
    let line: string;
    if (fault.fault === 'reset') {
      this.#cancelPending(storeId);
      // Healthy again, but the same cluster: its primary and epoch stay, as the monitor knows them.
      const baseline = fault.initial ? undefined : baselineOf(store);
      const fresh = createStore(store.spec, baseline, this.selfFence, this.now());
      this.#stores.set(storeId, fresh);
      const primary = primaryOf(fresh);
      line = `${storeId} reset: every fault cleared, ${primary?.id} primary at epoch ${primary?.epoch}`;
    } else {
      line = applyFault(store, fault, this.now(), this.wanCutMode);
    }
    this.#log(`fault ${fault.fault}: ${line}`);
    return this.state(storeId);
  }

  /** Every store's primary and epoch now: what a restarted simulator starts from. */
  baselines(): Record<string, StoreBaseline> {
    const out: Record<string, StoreBaseline> = {};
    for (const [id, store] of this.#stores) out[id] = baselineOf(store);
    return out;
  }

  promote(storeId: string, nodeId: string, epoch: number): ActionOutcome {
    const { store, node } = this.requireNode(storeId, nodeId);
    if (this.promoteDelayMs <= 0) {
      const line = applyPromotion(store, node, epoch, this.now());
      this.#log(line);
      return { state: 'completed', message: line };
    }
    const dueAt = this.now() + this.promoteDelayMs;
    const pending = this.#pending.get(storeId) ?? new Set<Pending>();
    this.#pending.set(storeId, pending);
    const entry: Pending = {
      node: nodeId,
      epoch,
      dueAt,
      timer: setTimeout(() => {
        pending.delete(entry);
        const current = this.#stores.get(storeId);
        const target = current && findNode(current, nodeId);
        if (current && target) this.#log(applyPromotion(current, target, epoch, this.now()));
      }, this.promoteDelayMs),
    };
    pending.add(entry);
    return { state: 'accepted', message: `promotion of ${storeId}/${nodeId} to epoch ${epoch} under way` };
  }

  fence(storeId: string, nodeId: string, epoch: number): ActionOutcome {
    const { store, node } = this.requireNode(storeId, nodeId);
    const line = applyFence(store, node, epoch);
    this.#log(line);
    return { state: 'completed', message: line };
  }

  /** A lease whose signature verified reached the node now (sim/edge-routes.ts verifies it). */
  takeLease(storeId: string, nodeId: string, lease: { epoch: number; seconds: number }): void {
    const { store, node } = this.requireNode(storeId, nodeId);
    takeLease(node, lease.epoch, lease.seconds, this.now());
    for (const line of settle(store, this.now())) this.#log(line);
  }

  /** Cancels promotions still in flight (their timers would keep a process alive). */
  close(): void {
    for (const storeId of this.#pending.keys()) this.#cancelPending(storeId);
  }

  #cancelPending(storeId: string): void {
    for (const entry of this.#pending.get(storeId) ?? []) clearTimeout(entry.timer);
    this.#pending.delete(storeId);
  }
}
