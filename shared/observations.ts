/**
 * What a StoreMonitor has seen of its store, in the shape the pure decision functions take.
 * Times are milliseconds since the epoch; nothing here reads a clock.
 */
import type { MonitorConfig } from './schemas/config.ts';
import type { AgentReport } from './schemas/report.ts';

/** One probe of one endpoint (HTTP health or TCP connect). */
export interface ProbeOutcome {
  at: number;
  ok: boolean;
  latencyMs: number | null;
  /** The parsed report, for successful HTTP probes. */
  report: AgentReport | null;
  /** Why the probe failed ("timeout after 2000 ms", "HTTP 500", "invalid report: role: …"). */
  error: string | null;
}

/** The running history of one endpoint, folded probe by probe with `foldProbe`. */
export interface EndpointHistory {
  last: ProbeOutcome | null;
  lastOk: ProbeOutcome | null;
  /** Start of the current failing streak; null while the endpoint answers. */
  failingSince: number | null;
  consecutiveFailures: number;
  /** Start of the current streak of answers reporting `healthy: false` (database down, agent up). */
  unhealthySince: number | null;
}

export interface PushedReport {
  at: number;
  report: AgentReport;
}

export interface NodeObservation {
  id: string;
  http: EndpointHistory;
  /** Present when the node config has a `tcp` target. */
  tcp: EndpointHistory | null;
  /** Latest report the node's agent pushed (push mode), if any. */
  pushed: PushedReport | null;
  /** The last lag this node reported while its stream was `streaming` (the RPO guards' input). */
  lastStreamingLag: StreamingLag | null;
}

/** One lag reading taken while streaming; `lagBytes` is absent or null when the report had no byte figure. */
export interface StreamingLag {
  at: number;
  lagSeconds: number;
  lagBytes?: number | null | undefined;
}

export interface StoreObservations {
  now: number;
  config: MonitorConfig;
  /** Probe rounds completed since the monitor (re)started: the startup grace counts these. */
  freshRounds: number;
  nodes: NodeObservation[];
  active: EndpointHistory;
  /** Null when the store has no arbiter. */
  arbiter: { http: EndpointHistory; pushed: PushedReport | null } | null;
  /** The primary as last established (persisted by the monitor), for when it stops answering. */
  knownPrimary: string | null;
  /**
   * The store's epoch: the highest the monitor issued or adopted (docs/PROTOCOL.md section 5); null
   * before its first contact with the store, when the highest epoch a node reports is adopted.
   */
  epoch: number | null;
  /**
   * The epoch of a failover being carried out (fencing or promoting), if any: the nodes are expected
   * to report below it until the promotion lands, which is not an epoch regression.
   */
  epochInFlight?: number | null;
}

export const EMPTY_HISTORY: EndpointHistory = Object.freeze({
  last: null,
  lastOk: null,
  failingSince: null,
  consecutiveFailures: 0,
  unhealthySince: null,
});

export function foldProbe(history: EndpointHistory, probe: ProbeOutcome): EndpointHistory {
  if (probe.ok) {
    const unhealthy = probe.report !== null && !probe.report.healthy;
    return {
      last: probe,
      lastOk: probe,
      failingSince: null,
      consecutiveFailures: 0,
      unhealthySince: unhealthy ? (history.unhealthySince ?? probe.at) : null,
    };
  }
  return {
    last: probe,
    lastOk: history.lastOk,
    failingSince: history.failingSince ?? probe.at,
    consecutiveFailures: history.consecutiveFailures + 1,
    unhealthySince: history.unhealthySince,
  };
}
