/**
 * Reinstatement (contract section 8): a former primary that came back fenced is rebuilt as a standby
 * of the current primary, by an operator's request or, with `failover.autoReinstate`, by the monitor
 * itself. A store is only safe again once it has two nodes: until then one more failure loses it.
 *
 * These rules decide who may be sent `reinstate` and when it is done; the monitor sends, stores
 * and retries (worker/monitor/reinstatement.ts). Pure: the caller passes the classification and `now`.
 *
 * Why only a fenced node: a node that still claims `primary` at an older epoch is fenced first (the
 * stale-primary fencer), so whatever the rebuild discards can no longer grow; a node that is not
 * fenced is either the primary or a standby already.
 */
import type { Classification, NodeVerdict } from '../classify.ts';
import type { FailoverPhase } from '../failover/types.ts';
import type { MonitorConfig } from '../schemas/config.ts';
import type { Failover } from '../schemas/status.ts';
import { servesAtStoreEpoch } from './stale-fence.ts';

/** A reinstate the agent did not answer is sent again after this long; auto-reinstatement waits as long between tries. */
export const REINSTATE_EVERY_MS = 30_000;
/**
 * After an agent refused a reinstate (it cannot rebuild, or disagrees about the primary), the
 * monitor asks again only this much later on its own: a refusal is an answer, not a lost request.
 */
export const REINSTATE_REFUSED_WAIT_MS = 600_000;

/** When a reinstatement sent at `sentAt` with this answer may be sent again. */
export function nextAttemptAt(p: { sentAt: number; outcome: 'accepted' | 'unreachable' | 'refused' }): number {
  return p.sentAt + (p.outcome === 'refused' ? REINSTATE_REFUSED_WAIT_MS : REINSTATE_EVERY_MS);
}

export interface ReinstateInput {
  classification: Classification;
  config: MonitorConfig;
  phase: FailoverPhase;
  node: string;
}

/**
 * Why `node` may not be reinstated now, each condition in words (the operator route answers 409 with
 * them); empty when it may.
 */
export function reinstateRefusals(input: ReinstateInput): string[] {
  const { classification: c, config, phase, node } = input;
  if (!config.store.nodes.some((n) => n.id === node)) return [`${node} is not a node of this store`];
  const unmet: string[] = [];
  if (c.status === 'unknown') unmet.push('the store status is unknown (the monitor is starting): try again shortly');
  if (phase === 'fencing' || phase === 'promoting') {
    unmet.push(`a failover is running (${phase}): reinstate once it has ended`);
  }
  if (!servesAtStoreEpoch(c)) {
    unmet.push(`the store has no serving primary at epoch ${c.epoch} to follow`);
  } else if (c.primary === node) {
    unmet.push(`${node} is the primary`);
  }
  const verdict = c.nodes.find((n) => n.id === node);
  if (!verdict?.reachable || verdict.error !== null) {
    unmet.push(`${node} does not answer the edge${verdict?.error ? ` (${verdict.error})` : ''}`);
  } else if (verdict.report?.fenced !== true) {
    unmet.push(`${node} is not fenced: only a fenced former primary is reinstated`);
  }
  return unmet;
}

/**
 * With `failover.autoReinstate`, the fenced former primaries to send `reinstate` now: every
 * condition of the operator route holds, and its last one may be sent again (`notBefore`: node id →
 * `nextAttemptAt` of its last send). Never during the startup grace.
 */
export function autoReinstateTargets(
  c: Classification,
  config: MonitorConfig,
  phase: FailoverPhase,
  notBefore: Readonly<Record<string, number>>,
  now: number,
): string[] {
  if (config.failover.autoReinstate !== true) return [];
  return c.nodes
    .filter((n) => n.report?.fenced === true && n.needsReinstatement)
    .filter((n) => now >= (notBefore[n.id] ?? Number.NEGATIVE_INFINITY))
    .filter((n) => reinstateRefusals({ classification: c, config, phase, node: n.id }).length === 0)
    .map((n) => n.id);
}

/** Reinstatement is complete (contract section 8): a streaming standby at the store's current epoch. */
export function reinstated(n: NodeVerdict | undefined, epoch: number): boolean {
  const r = n?.report;
  return (
    r !== null &&
    r !== undefined &&
    r.role === 'standby' &&
    r.fenced !== true &&
    r.epoch === epoch &&
    r.replication?.state === 'streaming'
  );
}

/**
 * The last failover's record, marked with when the node it replaced came back as a streaming standby
 * (and what that discarded, when its report says); null when there is nothing new to mark.
 */
export function markReinstated(record: Failover | null, c: Classification, now: string): Failover | null {
  if (record?.state !== 'completed' || !record.from || record.reinstatedAt) return null;
  const node = c.nodes.find((n) => n.id === record.from);
  if (c.epoch < record.epoch || !reinstated(node, c.epoch)) return null;
  const told = node?.report?.reinstatement;
  const discardedBytes = told && told.epoch >= record.epoch ? told.discardedBytes : null;
  return { ...record, reinstatedAt: now, discardedBytes };
}
