/**
 * Whether a primary-only job may run on this node now: the answer of the agent's loopback-only
 * `GET /local/primary` (docs/PROTOCOL.md section 7), decided here from the node's own report so
 * the agent, the simulator and the tests decide alike.
 *
 * Only a healthy, unfenced primary serves. The epoch is the highest this node has accepted from
 * mirrorwatch; a node cut off while the store moved on cannot know a newer one, which is why the
 * job's heartbeats name the node and the monitor raises a slot run on two nodes as critical.
 * Anything the node cannot vouch for (an unknown role, a database that does not answer) is "do
 * not run": a missed slot is alerted and can be run by hand, a doubled sync cannot be undone.
 */
import { z } from 'zod';
import type { AgentReport } from './schemas/report.ts';

export const PrimaryGate = z.object({
  store: z.string(),
  node: z.string(),
  epoch: z.number().int().min(0),
  /** True only on the serving, unfenced primary. */
  serving: z.boolean(),
  /** Why, in words for a log line and the `skipped` heartbeat. */
  reason: z.string(),
});
export type PrimaryGate = z.infer<typeof PrimaryGate>;

export function primaryGate(store: string, report: AgentReport): PrimaryGate {
  const at = `at epoch ${report.epoch}`;
  const answer = (serving: boolean, reason: string): PrimaryGate => ({
    store,
    node: report.node,
    epoch: report.epoch,
    serving,
    reason,
  });
  if (report.role === 'arbiter') return answer(false, 'this is the arbiter: it runs no store jobs');
  if (!report.healthy) return answer(false, `the database does not answer (last seen ${report.role})`);
  if (report.role === 'standby') return answer(false, `standby ${at}`);
  if (report.role !== 'primary') return answer(false, `the node's role is ${report.role}`);
  if (report.fenced) return answer(false, `fenced primary ${at}: it no longer serves`);
  return answer(true, `serving primary ${at}`);
}

/**
 * The monitor's second opinion on a primary-only run's `start`: a node that follows an epoch below
 * the store's missed a failover (a stale primary that was never fenced) and must not run. Only a
 * start naming its epoch is judged; null when the start may go ahead, else why not.
 */
export function staleStart(
  event: string,
  node: string | null,
  epoch: number | null,
  storeEpoch: number | null,
): string | null {
  if (event !== 'start' || node === null || epoch === null || storeEpoch === null || epoch >= storeEpoch) return null;
  return `node "${node}" follows epoch ${epoch} but the store is at epoch ${storeEpoch}: it is not the primary`;
}
