/**
 * The simulator's state: what each store, node and arbiter is, before any derivation. A `StoreSpec`
 * is the store as generated (sim/demo-fleet.ts); `createStore` turns it into fresh mutable
 * state, which is also how a store is reset (keeping its primary and epoch: `StoreBaseline`).
 */

import { IdempotencyLedger } from '#agent/idempotency-ledger.ts';
import type { ReceivedLease } from '#shared/lease/self-fence.ts';
import type { FailoverMode } from '#shared/schemas/config.ts';

export interface NodeSpec {
  id: string;
  /** 0..100 as in the fleet config; 0 = never promote (a DR copy). */
  priority: number;
  /** Typical streaming lag of this node as a standby. */
  baseLagSeconds: number;
}

export interface StoreSpec {
  id: string;
  name: string;
  region: string;
  timezone: string;
  mode: FailoverMode;
  /** The epoch every node follows at start. */
  epoch: number;
  /** `nodes[0]` starts as primary, the rest as its standbys. */
  nodes: NodeSpec[];
  arbiter: boolean;
  /** How fast the primary writes WAL: turns lag seconds into lag bytes. */
  walBytesPerSecond: number;
  seed: number;
}

/** How an endpoint answers while it is up: normally, with HTTP 500, or with invalid JSON. */
export type Responding = 'ok' | 'http500' | 'garbage';
/** A WAN cut either leaves requests hanging until the client gives up, or resets them. */
export type WanCutMode = 'hang' | 'reset';

export interface SimNode {
  readonly id: string;
  readonly priority: number;
  readonly baseLagSeconds: number;
  role: 'primary' | 'standby';
  epoch: number;
  /** Database stopped for writes and active IP released, by a `fence` action or on a stale return. */
  fenced: boolean;
  crashed: boolean;
  /** Alternating down/up every `periodMs`, down first, from `since`. */
  flap: { periodMs: number; since: number } | null;
  responding: Responding;
  injectedLagSeconds: number | null;
  /** A disk fill level the agent reports instead of its usual figure. */
  injectedDiskPercent: number | null;
  /** The lag last measured while streaming: what a standby reports once its stream is gone. */
  lastStreamingLag: number;
  /** Was primary and down when another node was promoted: comes back fenced, not as a second primary. */
  staleOnReturn: boolean;
  /** Cut off from the edge, its peers and the arbiter; the store's own clients still reach it. */
  isolated: boolean;
  /** Leases and self-fencing (contract section 6), on the sim's clock; see store-model.ts `selfFenceStep`. */
  lease: ReceivedLease | null;
  /** As primary: when a standby last replied. As standby: when it last was in contact with the primary. */
  peerContactAt: number | null;
  /** When it fenced itself (its `fenced` is then its own), or null. */
  selfFencedAt: number | null;
  readonly ledger: IdempotencyLedger;
}

export interface SimArbiter {
  readonly id: string;
  crashed: boolean;
  responding: Responding;
  /** The highest epoch the arbiter has seen on a node it reaches. */
  epoch: number;
}

export interface SimStore {
  readonly spec: StoreSpec;
  nodes: SimNode[];
  arbiter: SimArbiter | null;
  wanCut: WanCutMode | null;
  /** Primary and standbys cannot reach each other; the arbiter still reaches all. */
  partitioned: boolean;
  /** Self-fencing with this lease length (the store's `failover.leaseSeconds`), or null: off. */
  selfFence: { leaseSeconds: number } | null;
}

export function arbiterId(storeId: string): string {
  return `${storeId}-arb`;
}

/**
 * Who leads a store and at which epoch: what a reset or a restarted simulator keeps, so the edge
 * monitor (which remembers the epochs it issued) sees the same cluster, only healthy again.
 */
export interface StoreBaseline {
  epoch: number;
  primary: string;
}

/** A fresh, healthy store: `nodes[0]` leads at the spec's epoch, unless a baseline says otherwise. */
export function createStore(
  spec: StoreSpec,
  baseline?: StoreBaseline,
  selfFence: SimStore['selfFence'] = null,
  now = 0,
): SimStore {
  const epoch = baseline?.epoch ?? spec.epoch;
  const leader = spec.nodes.some((n) => n.id === baseline?.primary) ? baseline?.primary : spec.nodes[0]?.id;
  return {
    spec,
    nodes: spec.nodes.map((n) => ({
      id: n.id,
      priority: n.priority,
      baseLagSeconds: n.baseLagSeconds,
      role: n.id === leader ? 'primary' : 'standby',
      epoch,
      fenced: false,
      crashed: false,
      flap: null,
      responding: 'ok',
      injectedLagSeconds: null,
      injectedDiskPercent: null,
      lastStreamingLag: n.baseLagSeconds,
      staleOnReturn: false,
      isolated: false,
      lease: null,
      peerContactAt: now,
      selfFencedAt: null,
      ledger: new IdempotencyLedger(),
    })),
    arbiter: spec.arbiter ? { id: arbiterId(spec.id), crashed: false, responding: 'ok', epoch } : null,
    wanCut: null,
    partitioned: false,
    selfFence,
  };
}
