/**
 * What a store can alert on, from what its monitor knows this round. Each condition has a stable
 * key (the dedup key within the store), a severity and words for a person on call.
 */

import { bytes } from '../failover/words.ts';
import { type ResourceProblem, resourceKey } from '../resources.ts';
import type { JobHealth } from '../schedules/heartbeat.ts';
import type { Severity } from '../schemas/alerting.ts';
import type { Failover, StoreStatusName } from '../schemas/status.ts';
import { openTitle, type Phrase, phrase, say } from './catalog.ts';
import type { Condition } from './engine.ts';

const OUTAGE = ['primary_down', 'store_unreachable', 'split_brain', 'awaiting_confirm', 'failing_over'] as const;
const isOutage = (s: StoreStatusName): s is (typeof OUTAGE)[number] => (OUTAGE as readonly string[]).includes(s);

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

/** A condition with its words as a phrase (for each channel's language) and its English title (for the log). */
function condition(key: string, severity: Severity, storeName: string, what: Phrase, text: string): Condition {
  return { key, severity, title: openTitle('en', severity, storeName, what), text, phrase: what };
}

/** A condition whose detail lines mirrorwatch writes itself: each a phrase, its English the `text`. */
function detailed(key: string, severity: Severity, storeName: string, what: Phrase, details: Phrase[]): Condition {
  const text = details.map((d) => say('en', d.key, d.params)).join('\n');
  return { ...condition(key, severity, storeName, what, text), details };
}

export function storeConditions(input: ConditionInput): StoreConditions {
  const conditions: Condition[] = [];
  const text = input.reasons.join('\n');
  const store = input.storeName;
  if (isOutage(input.status))
    conditions.push(condition('outage', 'critical', store, phrase(`what.${input.status}`), text));
  if (input.status === 'degraded' && input.reasons.length > 0)
    conditions.push(condition('degraded', 'warning', store, phrase('what.degraded'), text));
  for (const p of input.resources) {
    const what = phrase(`what.resource.${p.kind}`, { node: p.node });
    const since = new Date(p.since).toISOString();
    const detail = phrase(`detail.resource.${p.kind}`, {
      node: p.node,
      value: Math.round(p.value),
      threshold: p.threshold,
      since,
    });
    conditions.push(detailed(`resource:${resourceKey(p.node, p.kind)}`, 'warning', store, what, [detail]));
  }
  for (const job of input.jobs) {
    if (job.doubled)
      conditions.push(
        condition(
          `job:${job.id}:doubled`,
          'critical',
          store,
          phrase('what.job.doubled', { job: job.name }),
          job.doubled,
        ),
      );
    const { state, reason } = job.health;
    if (state !== 'late' && state !== 'failed' && state !== 'overrun') continue;
    const what = phrase(`what.job.${state}`, { job: job.name });
    const key = `job:${job.id}`;
    conditions.push(
      reason === null
        ? detailed(key, 'warning', store, what, [phrase(`detail.job.${state}`, { job: job.name })])
        : condition(key, 'warning', store, what, reason),
    );
  }
  // Opened when a primary fenced itself, resolved when a lease lifted it: both are news to the on-call.
  for (const { node, leaseSeconds } of input.selfFenced ?? []) {
    const detail = phrase('detail.selfFenced', { node, seconds: leaseSeconds });
    conditions.push(detailed(`self-fence:${node}`, 'warning', store, phrase('what.selfFenced', { node }), [detail]));
  }
  // While the status is unknown (the startup grace after a restart) nothing is known of the store.
  const statusUnknown = input.status === 'unknown';
  return { conditions, undetermined: (key) => statusUnknown && (key === 'outage' || key === 'degraded') };
}

/** A one-off message when a failover ends: it needs no resolving. */
export function failoverNotice(storeName: string, f: Failover): Condition | null {
  const words: Partial<Record<Failover['state'], [Severity, Phrase]>> = {
    completed: ['info', phrase('what.failover.completed', { node: f.to, epoch: f.epoch })],
    failed: ['critical', phrase('what.failover.failed', { node: f.to })],
    aborted: ['warning', phrase('what.failover.aborted', { node: f.to })],
  };
  const w = words[f.state];
  if (!w) return null;
  const [severity, what] = w;
  // The reason and the error are the requester's and the runner's own words: quoted as written.
  const detail = [phrase(`detail.failover.${f.mode}`, { id: f.id, by: f.requestedBy, reason: f.reason })];
  if (f.error) detail.push(phrase('detail.failoverError', { error: f.error }));
  if (f.lagSecondsAtDecision !== null) detail.push(phrase('detail.lagSeconds', { seconds: f.lagSecondsAtDecision }));
  if (f.lagBytesAtDecision != null) detail.push(phrase('detail.lagBytes', { bytes: bytes(f.lagBytesAtDecision) }));
  return detailed(`failover:${f.id}`, severity, storeName, what, detail);
}
