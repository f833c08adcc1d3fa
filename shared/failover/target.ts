/**
 * Which standby to promote, and why each other one may not be. A target must answer the edge, its
 * last probe included (the promote webhook goes there), report itself a healthy standby in a fresh report, and pass the RPO
 * guard: its last lag measured while streaming is fresh and within `maxLagSeconds`. Only the RPO guard
 * can be waived (an operator's `allowDataLoss`); `priority: 0` nodes are never promoted.
 */
import { type Classification, reportFreshnessMs } from '../classify.ts';
import type { StoreObservations } from '../observations.ts';
import type { MonitorConfig } from '../schemas/config.ts';
import { bytes, duration, seconds } from './words.ts';

export interface TargetInput {
  now: number;
  classification: Classification;
  observations: StoreObservations;
  /** An operator's explicit choice; otherwise the best candidate is chosen. */
  target?: string | undefined;
  /** Waive the RPO guard (stale, unknown or excessive lag). */
  waiveLagGuard: boolean;
  /** The primary still serves: the target must be streaming now, and the RPO guard cannot be waived. */
  switchover: boolean;
}

export interface TargetChoice {
  target: string | null;
  /** The chosen target's last lag measured while streaming, however old. */
  lagSeconds: number | null;
  /** The same reading's byte figure, null when its report gave none. */
  lagBytes: number | null;
  /** Why no target (or the explicit one) may be promoted; empty when one is chosen. */
  unmet: string[];
  /** RPO-guard problems of the chosen target that `waiveLagGuard` set aside. */
  waived: string[];
}

/** How old a streaming lag reading may be before it counts as unknown. */
export function lagFreshnessMs(config: MonitorConfig): number {
  return config.failover.thresholdSeconds * 1000 + reportFreshnessMs(config.intervalSeconds);
}

/**
 * The RPO guard for one standby, or null when it is met.
 *
 * While the primary serves, the reading must be fresh now. Once it is down (`lostSince`, the edge's
 * start of the outage), nothing more reaches the standby, so the reading that matters is the one taken
 * as the primary went down: its age is measured at the moment the loss could first be confirmed
 * (`lostSince + thresholdSeconds`), which is also when an automatic failover first decides. An
 * operator confirming ten minutes later is thus judged on the same reading, not told "unknown"
 * because the stream it measured is, by definition, gone; a standby that had stopped streaming well
 * before the outage still fails the guard.
 */
export function lagProblem(
  node: string,
  observations: StoreObservations,
  now: number,
  lostSince: number | null,
): string | null {
  const reading = observations.nodes.find((n) => n.id === node)?.lastStreamingLag ?? null;
  const { config } = observations;
  if (!reading) return `standby ${node} lag unknown: never measured while streaming`;
  const confirmedAt = lostSince === null ? now : Math.min(now, lostSince + config.failover.thresholdSeconds * 1000);
  const age = confirmedAt - reading.at;
  const limit = lagFreshnessMs(config);
  if (age > limit) {
    const when = confirmedAt < now ? "before the primary's loss was confirmed" : 'ago';
    return `standby ${node} lag unknown: last measured ${duration(age)} ${when}, a reading older than ${seconds(limit / 1000)} does not count`;
  }
  if (reading.lagSeconds > config.failover.maxLagSeconds) {
    return `standby ${node} lag ${seconds(reading.lagSeconds)} exceeds the ${seconds(config.failover.maxLagSeconds)} limit`;
  }
  return bytesProblem(node, reading.lagBytes ?? null, config.failover.maxLagBytes);
}

/**
 * The second RPO guard (`maxLagBytes`, off unless set), on the same reading as the seconds guard:
 * a standby whose agent gives no byte figure cannot be shown to be within it, and unknown is not
 * eligible, exactly as for seconds.
 */
export function bytesProblem(node: string, lagBytes: number | null, maxLagBytes: number | undefined): string | null {
  if (maxLagBytes === undefined) return null;
  if (lagBytes === null) {
    return `standby ${node} lag in bytes unknown: its agent reports no replication.lagBytes, and maxLagBytes is set`;
  }
  if (lagBytes > maxLagBytes) {
    return `standby ${node} lag ${bytes(lagBytes)} (${lagBytes} bytes) exceeds the maxLagBytes limit of ${bytes(maxLagBytes)}`;
  }
  return null;
}

interface Candidate {
  id: string;
  priority: number;
  lag: number | null;
  lagBytes: number | null;
  blocking: string[];
  rpo: string | null;
}

function assess(id: string, priority: number, input: TargetInput): Candidate {
  const { classification, observations, now, switchover } = input;
  const verdict = classification.nodes.find((n) => n.id === id);
  const reading = observations.nodes.find((n) => n.id === id)?.lastStreamingLag ?? null;
  const lag = reading?.lagSeconds ?? null;
  const lagBytes = reading?.lagBytes ?? null;
  const blocking: string[] = [];
  if (!verdict?.reachable) {
    const why = verdict?.error ? ` (${verdict.error})` : '';
    return { id, priority, lag, lagBytes, blocking: [`standby ${id} unreachable from the edge${why}`], rpo: null };
  }
  // classify keeps a node reachable through one failed probe; the promote must go out on a live path.
  if (verdict.error !== null) {
    return {
      id,
      priority,
      lag,
      lagBytes,
      blocking: [`standby ${id} did not answer its last probe (${verdict.error})`],
      rpo: null,
    };
  }
  const report = verdict.report;
  if (!report) {
    blocking.push(`no fresh report from standby ${id}`);
  } else if (verdict.needsReinstatement) {
    blocking.push(`${id} must be reinstated as a standby before it can be promoted`);
  } else if (verdict.role !== 'standby') {
    blocking.push(`${id} reports role ${verdict.role}, not standby`);
  }
  if (report && !verdict.healthy) blocking.push(`standby ${id} reports its database unhealthy`);
  const state = report?.replication?.state;
  if (switchover && report && state !== 'streaming') {
    blocking.push(`standby ${id} is ${state ?? 'not replicating'}: a switchover needs it streaming`);
  }
  const lostSince = switchover ? null : classification.primaryDownSince;
  const rpo = lagProblem(id, observations, now, lostSince);
  if (rpo && switchover) return { id, priority, lag, lagBytes, blocking: [...blocking, rpo], rpo: null };
  return { id, priority, lag, lagBytes, blocking, rpo };
}

function passes(c: Candidate, waive: boolean): boolean {
  return c.blocking.length === 0 && (c.rpo === null || waive);
}

function problems(c: Candidate): string[] {
  return c.rpo ? [...c.blocking, c.rpo] : c.blocking;
}

function chosen(c: Candidate, waive: boolean): TargetChoice {
  return { target: c.id, lagSeconds: c.lag, lagBytes: c.lagBytes, unmet: [], waived: waive && c.rpo ? [c.rpo] : [] };
}

function refused(unmet: string[]): TargetChoice {
  return { target: null, lagSeconds: null, lagBytes: null, unmet, waived: [] };
}

export function chooseTarget(input: TargetInput): TargetChoice {
  const { classification, observations, waiveLagGuard } = input;
  const primary = classification.primary;
  const configured = observations.config.store.nodes;

  if (input.target !== undefined) {
    const node = configured.find((n) => n.id === input.target);
    if (!node) return refused([`target ${input.target} is not a node of this store`]);
    if (node.id === primary) return refused([`target ${node.id} is the current primary`]);
    if (node.priority === 0) return refused([`target ${node.id} has priority 0: it is never promoted`]);
    const c = assess(node.id, node.priority, input);
    return passes(c, waiveLagGuard) ? chosen(c, waiveLagGuard) : refused(problems(c));
  }

  const candidates = configured
    .filter((n) => n.id !== primary && n.priority > 0)
    .map((n) => assess(n.id, n.priority, input));
  if (candidates.length === 0) {
    return refused(['no standby can be promoted: every node but the primary has priority 0']);
  }
  const eligible = candidates
    .filter((c) => passes(c, waiveLagGuard))
    .sort(
      (a, b) =>
        b.priority - a.priority ||
        (a.lag ?? Number.POSITIVE_INFINITY) - (b.lag ?? Number.POSITIVE_INFINITY) ||
        a.id.localeCompare(b.id),
    );
  const best = eligible[0];
  return best ? chosen(best, waiveLagGuard) : refused(candidates.flatMap(problems));
}
