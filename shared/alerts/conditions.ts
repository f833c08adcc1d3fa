/**
 * What a store can alert on, from what its monitor knows this round. Each condition has a stable
 * key (the dedup key within the store), a severity and words for a person on call.
 */

import { describeProblem, type ResourceProblem, resourceKey } from '../resources.ts';
import { isProblem, type JobHealth } from '../schedules/heartbeat.ts';
import type { Severity } from '../schemas/alerting.ts';
import type { Failover, StoreStatusName } from '../schemas/status.ts';
import type { Condition } from './engine.ts';

const OUTAGE: Partial<Record<StoreStatusName, string>> = {
  primary_down: 'primary down',
  store_unreachable: 'store unreachable from the edge',
  split_brain: 'split brain: two nodes claim primary',
  awaiting_confirm: 'failover awaits an operator’s confirmation',
  failing_over: 'failing over',
};

export interface ConditionInput {
  storeName: string;
  /** The status before any maintenance overlay: a window holds alerts, it does not hide causes. */
  status: StoreStatusName;
  reasons: string[];
  resources: ResourceProblem[];
  /** `doubled`: words for the newest slot when it ran on more than one node, else null. */
  jobs: Array<{ id: string; name: string; health: JobHealth; doubled?: string | null }>;
  /** Nodes that fenced themselves (contract section 6), with the lease they waited for. */
  selfFenced?: Array<{ node: string; leaseSeconds: number }>;
}

export interface StoreConditions {
  conditions: Condition[];
  /** Conditions this round cannot judge: their alert state is kept as it is. */
  undetermined: (key: string) => boolean;
}

const label = (s: Severity) => s.toUpperCase();

export function storeConditions(input: ConditionInput): StoreConditions {
  const conditions: Condition[] = [];
  const text = input.reasons.join('\n');
  const outage = OUTAGE[input.status];
  if (outage)
    conditions.push({
      key: 'outage',
      severity: 'critical',
      title: `${label('critical')} ${input.storeName}: ${outage}`,
      text,
    });
  if (input.status === 'degraded' && input.reasons.length > 0)
    conditions.push({
      key: 'degraded',
      severity: 'warning',
      title: `${label('warning')} ${input.storeName}: degraded`,
      text,
    });
  for (const p of input.resources) {
    conditions.push({
      key: `resource:${resourceKey(p.node, p.kind)}`,
      severity: 'warning',
      title: `${label('warning')} ${input.storeName}: ${p.kind === 'cpu' ? 'CPU' : p.kind} high on ${p.node}`,
      text: `${describeProblem(p)} since ${new Date(p.since).toISOString()}`,
    });
  }
  for (const job of input.jobs) {
    if (job.doubled)
      conditions.push({
        key: `job:${job.id}:doubled`,
        severity: 'critical',
        title: `${label('critical')} ${input.storeName}: job ${job.name} ran on two nodes`,
        text: job.doubled,
      });
    const { state, reason } = job.health;
    if (!isProblem(state)) continue;
    conditions.push({
      key: `job:${job.id}`,
      severity: 'warning',
      title: `${label('warning')} ${input.storeName}: job ${job.name} ${state === 'overrun' ? 'running too long' : state}`,
      text: reason ?? `job ${job.name} is ${state}`,
    });
  }
  // Opened when a primary fenced itself, resolved when a lease lifted it: both are news to the on-call.
  for (const { node, leaseSeconds } of input.selfFenced ?? []) {
    conditions.push({
      key: `self-fence:${node}`,
      severity: 'warning',
      title: `${label('warning')} ${input.storeName}: ${node} fenced itself`,
      text: `${node} fenced itself: no lease and no standby for ${leaseSeconds} s; it refuses writes until the monitor reaches it again (a lease lifts the fence)`,
    });
  }
  // While the status is unknown (the startup grace after a restart) nothing is known of the store.
  const statusUnknown = input.status === 'unknown';
  return { conditions, undetermined: (key) => statusUnknown && (key === 'outage' || key === 'degraded') };
}

/** A one-off message when a failover ends: it needs no resolving. */
export function failoverNotice(storeName: string, f: Failover): Condition | null {
  const words: Partial<Record<Failover['state'], [Severity, string]>> = {
    completed: ['info', `failover completed: ${f.to} is primary at epoch ${f.epoch}`],
    failed: ['critical', `failover to ${f.to} FAILED: manual intervention needed`],
    aborted: ['warning', `failover to ${f.to} aborted`],
  };
  const w = words[f.state];
  if (!w) return null;
  const [severity, what] = w;
  const detail = [`failover ${f.id} (${f.mode}, requested by ${f.requestedBy}): ${f.reason}`];
  if (f.error) detail.push(f.error);
  if (f.lagSecondsAtDecision !== null) detail.push(`lag at decision: ${f.lagSecondsAtDecision} s`);
  return {
    key: `failover:${f.id}`,
    severity,
    title: `${label(severity)} ${storeName}: ${what}`,
    text: detail.join('\n'),
  };
}
