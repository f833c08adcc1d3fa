/**
 * The words of a classification (shared/classify.ts): why a known primary does not serve, and what
 * degrades a store that still serves. Pure, like the classifier.
 */
import type { NodeVerdict } from './classify.ts';
import type { EndpointHistory, NodeObservation, StoreObservations } from './observations.ts';
import type { AgentReport } from './schemas/report.ts';

/** Consecutive failed probes that make an endpoint unreachable; one failure is only retried. */
export const CONFIRM_FAILURES = 2;

/**
 * Why the known primary does not serve, in words that match the cause. A time is given only when
 * it is one the edge tracks (its last answer, its first unhealthy answer), so it holds still from
 * round to round; a primary that answers healthy but at the wrong epoch or role has no such time.
 */
export function notServing(
  primary: NodeVerdict,
  observed: NodeObservation,
  downSince: number,
  storeEpoch: number,
): string {
  const since = ` since ${new Date(downSince).toISOString()}`;
  const id = primary.id;
  if (!primary.reachable) return `primary ${id} unreachable from the edge (${primary.error ?? 'no answer'})${since}`;
  const report = primary.report;
  if (!report) return `primary ${id} answers the edge but sends no fresh report`;
  // An answer about who it is outranks its health: a fenced node reports its database down on purpose.
  if (report.fenced) return `primary ${id} is fenced and no other node serves`;
  if (report.role !== 'primary') return `primary ${id} now reports itself ${report.role}, and no other node serves`;
  if (report.epoch < storeEpoch) {
    return `primary ${id} reports epoch ${report.epoch}, below the store's epoch ${storeEpoch}, and no other node serves at it`;
  }
  if (!report.healthy) {
    return `primary ${id} reports its database unhealthy${observed.http.unhealthySince === null ? '' : since}`;
  }
  return `primary ${id} does not serve`;
}

export function describeDegradations(
  obs: StoreObservations,
  nodes: NodeVerdict[],
  primaryId: string | null,
  lagSeconds: number | null,
  arbiterReport: { at: number; report: AgentReport } | null,
  arbiterReachable: boolean | null,
  activeReachable: boolean,
  reasons: string[],
): void {
  const limit = obs.config.failover.maxLagSeconds;
  for (const n of nodes) {
    if (n.id === primaryId) continue;
    if (!n.reachable && !n.report)
      reasons.push(`standby ${n.id} unreachable from the edge (${n.error ?? 'no answer'})`);
    else if (!n.healthy) reasons.push(`standby ${n.id} reports its database unhealthy`);
    const rep = n.report?.replication;
    if (n.report && !rep && !n.needsReinstatement) reasons.push(`standby ${n.id} reports no replication`);
    if (rep && rep.state !== 'streaming') {
      reasons.push(
        `standby ${n.id} replication is ${rep.state}${rep.primaryReachable ? '' : ' and it cannot reach the primary'}`,
      );
    }
  }
  if (lagSeconds !== null && lagSeconds > limit) {
    reasons.push(`standby lag ${secondsText(lagSeconds)} exceeds the ${secondsText(limit)} limit`);
  }
  const activeNode = obs.active.lastOk?.report?.node;
  if (!activeReachable) {
    reasons.push(`active endpoint unreachable from the edge (${obs.active.last?.error ?? 'no answer'})`);
  } else if (obs.active.consecutiveFailures === 0 && activeNode && primaryId && activeNode !== primaryId) {
    reasons.push(`the active endpoint answers as ${activeNode}, not as the primary ${primaryId}`);
  }
  if (arbiterReachable === false && !arbiterReport) {
    reasons.push(`arbiter unreachable from the edge (${obs.arbiter?.http.last?.error ?? 'no answer'})`);
  }
  for (const [nodeId, seen] of Object.entries(arbiterReport?.report.sees ?? {})) {
    if (!seen && nodes.some((n) => n.id === nodeId)) reasons.push(`the arbiter does not see ${nodeId}`);
  }
  for (const n of obs.nodes) {
    if (n.tcp && confirmedDown(n.tcp)) {
      reasons.push(`database port of ${n.id} refuses TCP connections (${n.tcp.last?.error ?? 'no answer'})`);
    }
  }
}

export function confirmedDown(h: EndpointHistory): boolean {
  return h.lastOk === null ? h.last !== null : h.consecutiveFailures >= CONFIRM_FAILURES;
}

export function secondsText(s: number): string {
  return `${Math.round(s * 10) / 10} s`;
}
