/**
 * Whom the stale-primary fencer fences, and how often: an old primary that comes back still
 * claiming `primary` at an older epoch (its agent missed the failover's fence, or was down when it
 * came) and that the edge reaches, while another node serves at the store's epoch. At most once
 * every STALE_FENCE_EVERY_MS per node; never during the startup grace.
 */
import type { Classification } from '../classify.ts';

export const STALE_FENCE_EVERY_MS = 30_000;

/** Node id → when the fencer last sent it a fence. */
export type FenceLog = Readonly<Record<string, number>>;

/**
 * Never while no node serves at the store's epoch: then the old primary may be all there is (an
 * epoch regression after a rebuild, or the new primary down too), and fencing it stops the store.
 */
export function servesAtStoreEpoch(c: Classification): boolean {
  const primary = c.nodes.find((n) => n.id === c.primary);
  return c.primaryServing && primary?.epoch === c.epoch;
}

export function staleFenceTargets(c: Classification, sent: FenceLog, now: number): string[] {
  if (c.status === 'unknown' || !servesAtStoreEpoch(c)) return [];
  return c.nodes
    .filter((n) => n.role === 'primary' && n.needsReinstatement && n.reachable)
    .filter((n) => now - (sent[n.id] ?? Number.NEGATIVE_INFINITY) >= STALE_FENCE_EVERY_MS)
    .map((n) => n.id);
}
