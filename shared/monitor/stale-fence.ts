/**
 * Whom the stale-primary fencer fences, and how often: an old primary that comes back still
 * claiming `primary` at an older epoch (its agent missed the failover's fence, or was down when it
 * came) and that the edge reaches. At most once every STALE_FENCE_EVERY_MS per node; never during
 * the startup grace.
 */
import type { Classification } from '../classify.ts';

export const STALE_FENCE_EVERY_MS = 30_000;

/** Node id → when the fencer last sent it a fence. */
export type FenceLog = Readonly<Record<string, number>>;

export function staleFenceTargets(c: Classification, sent: FenceLog, now: number): string[] {
  if (c.status === 'unknown') return [];
  return c.nodes
    .filter((n) => n.role === 'primary' && n.needsReinstatement && n.reachable)
    .filter((n) => now - (sent[n.id] ?? Number.NEGATIVE_INFINITY) >= STALE_FENCE_EVERY_MS)
    .map((n) => n.id);
}
