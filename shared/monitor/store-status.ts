/**
 * A store's status, composed in one place: what the probes say (classify), then the failover
 * machine's phase (a failover in flight or a confirmation awaited outranks observation), then what
 * runs on a clock (a maintenance window turns the store `maintenance`, late jobs and resource
 * warnings make a healthy store `degraded`), then the contract's `StoreStatus`. The monitor calls
 * `composeStatus` once per change; everything here is pure.
 */
import type { Classification } from '../classify.ts';
import type { FailoverMachineState } from '../failover/types.ts';
import { iso, isoOrNull } from '../iso-time.ts';
import { selfFenceOffReason } from '../lease/lease-config.ts';
import type { ActiveWindow } from '../schedules/maintenance.ts';
import type { MonitorConfig } from '../schemas/config.ts';
import type { StoreStatus, StoreStatusName } from '../schemas/status.ts';

export interface StoreStatusView {
  status: StoreStatusName;
  reasons: string[];
}

/** What the probes and the failover machine say, before maintenance and warnings are laid over. */
export function baseStatus(classification: Classification, state: FailoverMachineState): StoreStatusView {
  const observed = classification.reasons;
  switch (state.phase) {
    case 'fencing':
    case 'promoting': {
      const f = state.current;
      const step = state.phase === 'fencing' ? `fencing ${f.from ?? '?'}` : `promoting ${f.to}`;
      return {
        status: 'failing_over',
        reasons: [`failover ${f.id} (${f.requestedBy}): ${step} at epoch ${f.epoch}`, ...observed],
      };
    }
    case 'awaiting_confirm': {
      const f = state.current;
      // An absolute time: a countdown would change the summary (and wake every browser) each round.
      const expires = new Date(state.expiresAt).toISOString();
      return {
        status: 'awaiting_confirm',
        reasons: [`failover ${f.id} to ${f.to} awaits an operator's confirmation (until ${expires})`, ...observed],
      };
    }
    case 'idle':
      return { status: classification.status, reasons: observed };
  }
}

/** A failover under way, a confirmation awaited or a split brain show through a window: each needs someone now. */
const SHOWS_THROUGH: StoreStatusName[] = ['failing_over', 'awaiting_confirm', 'split_brain'];

export function overlayStatus(base: StoreStatusView, window: ActiveWindow | null, warnings: string[]): StoreStatusView {
  if (window && !SHOWS_THROUGH.includes(base.status)) {
    const until = iso(window.end);
    return {
      status: 'maintenance',
      reasons: [
        `maintenance window "${window.id}" (${window.reason}) until ${until}: automatic failover and alerts are held`,
        ...base.reasons,
        ...warnings,
      ],
    };
  }
  if (base.status === 'healthy' && warnings.length > 0) return { status: 'degraded', reasons: warnings };
  return { status: base.status, reasons: [...base.reasons, ...warnings] };
}

export interface ComposeInput {
  config: MonitorConfig;
  classification: Classification;
  machine: FailoverMachineState;
  window: ActiveWindow | null;
  warnings: string[];
  /** The status shown before, and since when. */
  previous: { status: StoreStatusName; since: number };
  now: number;
  counters: NonNullable<StoreStatus['counters']>;
}

export interface Composed {
  /** Before maintenance and warnings: what alerts weigh. */
  base: StoreStatusView;
  status: StoreStatus;
  /** The status name differs from `previous`: log it, and `since` is now. */
  changed: boolean;
  /** Changes only with what is worth a write and a push to every browser (see `significantKey`). */
  key: string;
}

export function composeStatus(input: ComposeInput): Composed {
  const base = baseStatus(input.classification, input.machine);
  const { status, reasons } = overlayStatus(base, input.window, input.warnings);
  const changed = status !== input.previous.status;
  const view = toStoreStatus(input, status, reasons, changed ? input.now : input.previous.since);
  return { base, status: view, changed, key: significantKey(view) };
}

function toStoreStatus(input: ComposeInput, status: StoreStatusName, reasons: string[], since: number): StoreStatus {
  const { config, classification: c } = input;
  return {
    id: config.store.id,
    name: config.store.name,
    region: config.store.region ?? null,
    status,
    since: iso(since),
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
      ...(n.selfFenced ? { selfFenced: true } : {}),
    })),
    arbiter: c.arbiterReachable === null ? null : { reachable: c.arbiterReachable },
    // Said, never weighed: turning self-fencing off does not make a store degraded.
    reasons: config.failover.selfFence === false ? [...reasons, selfFenceOffReason(c.primary)] : reasons,
    lastFailover: input.machine.current,
    checkedAt: isoOrNull(input.now),
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
