/**
 * Classifies a store's health from three vantage points (DESIGN.md "Three vantage points"):
 * C, the edge's own probes; S, the standby's report of its stream; A, the arbiter's `sees` map.
 *
 * A Worker that cannot reach a store usually means the store's WAN link is down, not that its
 * database died, so no single view is trusted alone: a primary is *lost* only when the edge has
 * failed to reach it for `thresholdSeconds`, the standby says it lost the primary too, and the
 * arbiter (when there is one and it answers) no longer sees it either.
 *
 * Pure: every input, the clock included, is in `StoreObservations`.
 */

import { confirmedDown, describeDegradations, notServing } from './classify-reasons.ts';
import { defaultLeaseSeconds } from './lease/lease-config.ts';
import type { EndpointHistory, NodeObservation, PushedReport, StoreObservations } from './observations.ts';
import type { AgentReport, NodeRole } from './schemas/report.ts';

/** The statuses observation alone can yield; the failover machine adds the others. */
export type ObservedStatus = 'healthy' | 'degraded' | 'primary_down' | 'split_brain' | 'store_unreachable' | 'unknown';

/** Rounds a monitor must complete after (re)starting before it says anything but `unknown`. */
export const STARTUP_ROUNDS = 3;
export { CONFIRM_FAILURES } from './classify-reasons.ts';

export type ViewVerdict = 'up' | 'lost' | 'unknown';

export interface NodeVerdict {
  id: string;
  /** The edge reaches the node (confirmed: a single failed probe is retried first). */
  reachable: boolean;
  /** The freshest report from the node, pulled or pushed, if it is fresh. */
  report: AgentReport | null;
  role: NodeRole;
  healthy: boolean;
  epoch: number | null;
  latencyMs: number | null;
  lastSeenAt: number | null;
  lagSeconds: number | null;
  error: string | null;
  /** Reports `primary` at an older epoch, or is fenced by the monitor: it must be rebuilt as a standby. */
  needsReinstatement: boolean;
  /** Fenced itself for want of a lease and a standby (contract section 6): a lease lifts it, no rebuild. */
  selfFenced: boolean;
}

export interface Classification {
  status: ObservedStatus;
  reasons: string[];
  /** The serving primary, or the last known one when none serves. */
  primary: string | null;
  /** True when `primary` answers the edge (or pushes) and reports itself healthy. */
  primaryServing: boolean;
  epoch: number;
  lagSeconds: number | null;
  nodes: NodeVerdict[];
  activeReachable: boolean;
  arbiterReachable: boolean | null;
  /** The views on the primary, when one is known and it is not serving. */
  views: { edge: ViewVerdict; standby: ViewVerdict; arbiter: ViewVerdict } | null;
  /** Since when the primary has not been serving, per the edge. */
  primaryDownSince: number | null;
  /** When the edge first saw the primary fail (its first failed probe, or first unhealthy answer): detection. */
  primaryFailingSince: number | null;
  /** The loss rule holds: edge for `thresholdSeconds`, standby, and arbiter unless silent. */
  primaryLost: boolean;
  /** Some endpoint failed once and is being retried: the monitor should probe again soon. */
  unconfirmedFailures: boolean;
  /** The store's epoch is known: the monitor had one, or a node reported one at first contact. */
  epochSeen: boolean;
  /**
   * Every node reports an epoch below the store's (a rebuilt cluster, a restarted simulator): the
   * highest they report, which an operator may adopt to re-baseline; null otherwise.
   */
  epochRegression: number | null;
}

function leaseSecondsOf(config: StoreObservations['config']): number {
  return config.failover.leaseSeconds ?? defaultLeaseSeconds(config.failover.thresholdSeconds);
}

export function reportFreshnessMs(intervalSeconds: number): number {
  return Math.max(3 * intervalSeconds * 1000, 15_000);
}

function freshReport(http: EndpointHistory, pushed: PushedReport | null, now: number, maxAge: number) {
  // A single failed probe is only retried: until the failure is confirmed, the last answer stands.
  const pulled = !confirmedDown(http) && http.lastOk?.report ? http.lastOk : null;
  const candidates: Array<{ at: number; report: AgentReport }> = [];
  if (pulled?.report && now - pulled.at <= maxAge) candidates.push({ at: pulled.at, report: pulled.report });
  if (pushed && now - pushed.at <= maxAge) candidates.push(pushed);
  candidates.sort((a, b) => b.at - a.at);
  return candidates[0] ?? null;
}

/**
 * `viaActive`: the report the active endpoint gave, when it answers as this node. The active IP is
 * this node's too, so a primary whose own address fails but which still serves there is seen.
 */
function judgeNode(node: NodeObservation, now: number, maxAge: number, viaActive: AgentReport | null): NodeVerdict {
  const fresh = freshReport(node.http, node.pushed, now, maxAge);
  const report = fresh?.report ?? (viaActive?.node === node.id ? viaActive : null);
  const lastSeen = Math.max(node.http.lastOk?.at ?? 0, node.pushed?.at ?? 0);
  return {
    id: node.id,
    reachable: node.http.last !== null && !confirmedDown(node.http),
    report,
    role: report ? (report.fenced ? 'unknown' : report.role) : 'unknown',
    healthy: report?.healthy ?? false,
    epoch: report?.epoch ?? null,
    latencyMs: node.http.last?.ok ? node.http.last.latencyMs : null,
    lastSeenAt: lastSeen > 0 ? lastSeen : null,
    lagSeconds: report?.replication?.lagSeconds ?? null,
    error: node.http.last && !node.http.last.ok ? node.http.last.error : null,
    needsReinstatement: report?.fenced === true && report.selfFenced !== true,
    selfFenced: report?.fenced === true && report.selfFenced === true,
  };
}

export function classify(obs: StoreObservations): Classification {
  const { now, config } = obs;
  const maxAge = reportFreshnessMs(config.intervalSeconds);
  const thresholdMs = config.failover.thresholdSeconds * 1000;
  const active = freshReport(obs.active, null, now, maxAge)?.report ?? null;
  const nodes = obs.nodes.map((n) => judgeNode(n, now, maxAge, active));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const observedById = new Map(obs.nodes.map((n) => [n.id, n]));
  const reasons: string[] = [];

  const reported = nodes.flatMap((n) => (n.report && n.epoch !== null ? [n.epoch] : []));
  // At first contact the store's epoch is the highest reported; after it, reports never raise it.
  const epoch = obs.epoch ?? Math.max(0, ...reported);
  const epochSeen = obs.epoch !== null || reported.length > 0;
  const everyBelow =
    (obs.epochInFlight ?? null) === null &&
    reported.length === nodes.length &&
    reported.length > 0 &&
    reported.every((e) => e < epoch);
  const epochRegression = everyBelow ? Math.max(...reported) : null;
  // Who may serve: at the store's epoch, or, in a regression, at the epoch the rebuilt cluster runs.
  const servingEpoch = epochRegression ?? epoch;
  const activeReachable = obs.active.last !== null && !confirmedDown(obs.active);
  const arbiterReport = obs.arbiter ? freshReport(obs.arbiter.http, obs.arbiter.pushed, now, maxAge) : null;
  const arbiterReachable = obs.arbiter ? obs.arbiter.http.last !== null && !confirmedDown(obs.arbiter.http) : null;
  const allHistories = [obs.active, ...obs.nodes.map((n) => n.http), ...(obs.arbiter ? [obs.arbiter.http] : [])];
  const unconfirmedFailures = allHistories.some((h) => h.consecutiveFailures > 0 && !confirmedDown(h));

  if (epochRegression !== null) {
    reasons.push(
      `epoch regression: every node reports an epoch below the store's epoch ${epoch} (highest reported: ${epochRegression}): the cluster was rebuilt or restarted. Nothing is fenced; once checked, re-baseline by adopting epoch ${epochRegression} (POST /api/v1/stores/${obs.config.store.id}/epoch)`,
    );
  }
  for (const n of nodes) {
    if (n.report && (n.epoch ?? 0) > epoch)
      reasons.push(`node ${n.id} reports epoch ${n.epoch}, which mirrorwatch never issued`);
  }
  // Primaries: nodes reporting `primary`, not fenced. Any below the serving epoch are stale; one above
  // it (never issued) is no reason to call the others stale: two claimants are a split brain.
  const claimants = nodes.filter((n) => n.role === 'primary' && n.report !== null);
  const current = claimants.filter((n) => (n.epoch ?? 0) >= servingEpoch);
  const topEpoch = Math.max(-1, ...current.map((n) => n.epoch ?? 0));
  for (const n of claimants) {
    if (!current.includes(n)) {
      n.needsReinstatement = true;
      reasons.push(
        `${n.id} still reports primary at epoch ${n.epoch ?? 0}, but the store is at epoch ${epoch}: reinstate it as a standby`,
      );
    }
  }
  for (const n of nodes) {
    if (n.selfFenced && (n.epoch ?? 0) < epoch) {
      // Fenced itself as an old primary, and another node was promoted since: only a rebuild helps.
      n.needsReinstatement = true;
      reasons.push(`${n.id} fenced itself at epoch ${n.epoch ?? 0} and must be reinstated as a standby`);
    } else if (n.selfFenced) {
      reasons.push(`${n.id} fenced itself: no lease and no standby for ${leaseSecondsOf(config)} s`);
    } else if (n.report?.fenced) reasons.push(`${n.id} is fenced and must be reinstated as a standby`);
  }

  const primaryId = current.length === 1 ? (current[0]?.id ?? null) : obs.knownPrimary;
  const primary = primaryId ? (byId.get(primaryId) ?? null) : null;
  const servesViaActive = primary !== null && active?.node === primary.id && active.role === 'primary';
  const primaryServing =
    current.length === 1 && primary !== null && primary.healthy && (primary.reachable || servesViaActive);
  if (primaryServing && primary && !primary.reachable) {
    reasons.push(
      `primary ${primary.id} answers only through the active endpoint; its own address fails (${primary.error ?? 'no answer'})`,
    );
  }
  const standbys = nodes.filter((n) => n.id !== primaryId);
  const lagSource = standbys.find((n) => n.lagSeconds !== null && n.report?.replication?.state === 'streaming');
  const lagSeconds = lagSource?.lagSeconds ?? null;

  const base = {
    primary: primaryId,
    primaryServing,
    epoch,
    lagSeconds,
    nodes,
    activeReachable,
    arbiterReachable,
    unconfirmedFailures,
    epochSeen,
    epochRegression,
  };
  const result = (
    status: ObservedStatus,
    extra: Partial<Pick<Classification, 'views' | 'primaryDownSince' | 'primaryFailingSince' | 'primaryLost'>> = {},
  ): Classification => ({
    ...base,
    status,
    reasons,
    views: extra.views ?? null,
    primaryDownSince: extra.primaryDownSince ?? null,
    primaryFailingSince: extra.primaryFailingSince ?? null,
    primaryLost: extra.primaryLost ?? false,
  });

  if (obs.freshRounds < STARTUP_ROUNDS) {
    reasons.unshift(`starting: ${obs.freshRounds} of ${STARTUP_ROUNDS} probe rounds collected`);
    return result('unknown');
  }

  if (allHistories.every((h) => confirmedDown(h))) {
    const pushing = nodes.some((n) => n.report !== null) || arbiterReport !== null;
    reasons.unshift(
      pushing
        ? 'the edge reaches no endpoint of the store, but its agents still push reports: WAN link down, not failing over'
        : 'the edge reaches no endpoint of the store (WAN link or site down): alerting, never failing over',
    );
    return result('store_unreachable');
  }

  if (current.length > 1) {
    reasons.unshift(
      current.every((n) => (n.epoch ?? 0) === topEpoch)
        ? `split brain: ${current.map((n) => n.id).join(' and ')} both report primary at epoch ${topEpoch}; no automatic promotion`
        : `split brain: ${current.map((n) => `${n.id} (epoch ${n.epoch ?? 0})`).join(' and ')} both report primary; no automatic promotion`,
    );
    return result('split_brain');
  }

  if (!primaryServing) {
    return primaryDown(obs, primary, observedById.get(primaryId ?? ''), standbys, arbiterReport, thresholdMs, {
      reasons,
      result,
      storeEpoch: servingEpoch,
    });
  }

  describeDegradations(obs, nodes, primaryId, lagSeconds, arbiterReport, arbiterReachable, activeReachable, reasons);
  return result(reasons.length > 0 ? 'degraded' : 'healthy');
}

/**
 * When the edge lost the node: the primary may have died any time after its last answer, so the
 * clock starts there (a crash just after a round is not charged a whole interval), but never more
 * than half a threshold before the first failed probe, so a slow cadence cannot shorten the wait
 * below what the edge itself has seen.
 */
function lostSince(h: EndpointHistory, thresholdMs: number, now: number): number {
  const firstFailure = h.failingSince ?? now;
  const lastAnswer = h.lastOk?.at ?? firstFailure;
  return Math.max(lastAnswer, firstFailure - thresholdMs / 2);
}

type ResultFn = (
  status: ObservedStatus,
  extra?: Partial<Pick<Classification, 'views' | 'primaryDownSince' | 'primaryFailingSince' | 'primaryLost'>>,
) => Classification;

function primaryDown(
  obs: StoreObservations,
  primary: NodeVerdict | null,
  observed: NodeObservation | undefined,
  standbys: NodeVerdict[],
  arbiterReport: { at: number; report: AgentReport } | null,
  thresholdMs: number,
  out: { reasons: string[]; result: ResultFn; storeEpoch: number },
): Classification {
  const { reasons, result } = out;
  if (!primary || !observed) {
    reasons.unshift('no node reports itself primary');
    return result('primary_down');
  }
  const now = obs.now;
  // The edge view: failing probes, or answers saying the database is down.
  const downSince = primary.reachable
    ? (observed.http.unhealthySince ?? now)
    : Math.min(lostSince(observed.http, thresholdMs, now), observed.http.unhealthySince ?? now);
  const activeAsPrimary =
    obs.active.consecutiveFailures === 0 &&
    obs.active.lastOk?.report?.node === primary.id &&
    obs.active.lastOk.report.healthy;
  const edge: ViewVerdict = !activeAsPrimary && now - downSince >= thresholdMs ? 'lost' : 'up';

  const standbyReports = standbys.filter((s) => s.report?.replication);
  const standby: ViewVerdict =
    standbyReports.length === 0
      ? 'unknown'
      : standbyReports.some(
            (s) => s.report?.replication?.primaryReachable && s.report.replication.state !== 'disconnected',
          )
        ? 'up'
        : 'lost';
  const sees = arbiterReport?.report.sees?.[primary.id];
  const arbiter: ViewVerdict = sees === undefined ? 'unknown' : sees ? 'up' : 'lost';
  const primaryLost = edge === 'lost' && standby === 'lost' && arbiter !== 'up';

  reasons.unshift(notServing(primary, observed, downSince, out.storeEpoch));
  if (activeAsPrimary) reasons.push(`the active endpoint still answers as ${primary.id}`);
  reasons.push(
    standby === 'unknown'
      ? 'no fresh standby report: cannot confirm the loss'
      : standby === 'lost'
        ? 'the standby has lost the primary too'
        : 'the standby still reaches the primary',
  );
  if (arbiter === 'up') reasons.push(`the arbiter still sees ${primary.id}`);
  if (arbiter === 'lost') reasons.push(`the arbiter no longer sees ${primary.id}`);
  if (primaryLost) reasons.push('primary lost: edge, standby and arbiter agree');
  const failingSince = primary.reachable
    ? (observed.http.unhealthySince ?? now)
    : Math.min(observed.http.failingSince ?? now, observed.http.unhealthySince ?? now);
  return result('primary_down', {
    views: { edge, standby, arbiter },
    primaryDownSince: downSince,
    primaryFailingSince: failingSince,
    primaryLost,
  });
}
