/**
 * When a promotion is complete (contract section 8): the target reports `primary` at the failover's
 * epoch **and**, for a store with an active endpoint, the active endpoint answers as the target at
 * that epoch. The tills and the sync client reach the store through the active IP only, so a target
 * that promoted while the active IP still points at the dead node has not restored the service:
 * calling that `completed` is how a post-failover step fails silently.
 *
 * Each mark is taken the first time it is seen and never moved: `promotedAt`, `activeEndpointAt`,
 * and `completedAt`, the later of the two. Pure: the caller passes the classification and `now`.
 */
import type { ActiveAnswer, Classification } from '../classify.ts';
import { iso } from '../iso-time.ts';
import type { Failover } from '../schemas/status.ts';

export interface CompletionCheck {
  /** The record with whatever marks this observation added. */
  record: Failover;
  /** Every condition holds: the failover is `completed` (at `record.completedAt`). */
  complete: boolean;
  /** Marks this observation added (for the event log), empty when nothing new was seen. */
  seen: Array<'promoted' | 'active'>;
}

function answersAsTarget(a: ActiveAnswer | null, record: Failover): boolean {
  return a !== null && a.node === record.to && a.role === 'primary' && a.epoch >= record.epoch;
}

/** `awaitActive`: the store has an active endpoint, which must follow the target before completion. */
export function checkCompletion(
  record: Failover,
  c: Classification,
  awaitActive: boolean,
  now: number,
): CompletionCheck {
  const target = c.nodes.find((n) => n.id === record.to);
  const seen: CompletionCheck['seen'] = [];
  let promotedAt = record.promotedAt ?? null;
  let activeEndpointAt = record.activeEndpointAt ?? null;
  if (promotedAt === null && target?.role === 'primary' && (target.epoch ?? -1) >= record.epoch) {
    promotedAt = iso(now);
    seen.push('promoted');
  }
  if (awaitActive && activeEndpointAt === null && answersAsTarget(c.activeAnswer, record)) {
    activeEndpointAt = iso(now);
    seen.push('active');
  }
  const complete = promotedAt !== null && (!awaitActive || activeEndpointAt !== null);
  const completedAt = complete ? later(promotedAt, activeEndpointAt) : null;
  const marks = awaitActive ? { promotedAt, activeEndpointAt } : { promotedAt };
  return { record: { ...record, ...marks, completedAt }, complete, seen };
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return Date.parse(a) >= Date.parse(b) ? a : b;
}

/** What the active endpoint is doing instead of answering as the target, for the failure reason. */
export function activeEndpointWords(c: Classification): string {
  const a = c.activeAnswer;
  if (a === null) return c.activeReachable ? 'its last probe failed' : 'it does not answer';
  return `it answers as ${a.node} (${a.role} at epoch ${a.epoch})`;
}

/** Why a failover whose target promoted but whose active endpoint never followed has failed. */
export function activeEndpointFailure(record: Failover, limit: string, activeSeen: string | null): string {
  const promoted = record.promotedAt ? ` (${record.to} reported primary at ${record.promotedAt})` : '';
  const now = activeSeen ? `: ${activeSeen}` : '';
  return `the active endpoint did not answer as ${record.to} at epoch ${record.epoch} within ${limit} of the decision${promoted}${now}; move the active IP to ${record.to} by hand`;
}
