/**
 * Which node ran which slot of a job. A primary-only job is installed on every node of a store
 * and runs only where the node is the serving primary, so each slot should be run on exactly one
 * node: a slot run on two is a symptom of split brain (two nodes each believing they are primary)
 * or of a node where the job was installed without primary-only mode. A slot run on none is the
 * ordinary missed run (./heartbeat.ts, `late`).
 *
 * The monitor keeps the latest runs as `{ slot, node, run }`, one per run (a run's start and end
 * carry the same run id, so its end is not a second run even when it ends in the next slot).
 * Pure: the slot is worked out by the caller (`slotOf` in ./heartbeat.ts).
 */
import { z } from 'zod';

export const NodeRun = z.object({ slot: z.number(), node: z.string(), run: z.string().nullable() });
export type NodeRun = z.infer<typeof NodeRun>;

/** Enough for a day of a 10-minute job's slots on two nodes, without growing the stored record. */
export const MAX_NODE_RUNS = 64;

/** Adds one run, unless it is already there (a run's end after its start); keeps the newest slots. */
export function noteNodeRun(runs: readonly NodeRun[], entry: NodeRun): NodeRun[] {
  const known = runs.some(
    (r) =>
      r.node === entry.node && (entry.run === null ? r.slot === entry.slot && r.run === null : r.run === entry.run),
  );
  if (known) return [...runs];
  return [...runs, entry].sort((a, b) => a.slot - b.slot).slice(-MAX_NODE_RUNS);
}

export interface DoubledSlot {
  slot: number;
  /** The nodes that ran it, sorted. */
  nodes: string[];
}

/** The nodes that ran `slot`, sorted and distinct. */
export function nodesOfSlot(runs: readonly NodeRun[], slot: number): string[] {
  return [...new Set(runs.filter((r) => r.slot === slot).map((r) => r.node))].sort();
}

/**
 * The newest slot that was run, if it was run on more than one node. It holds until a later slot
 * is run on one node only: the job is back to running where it should, and the history keeps the
 * doubled slot.
 */
export function doubledSlot(runs: readonly NodeRun[]): DoubledSlot | null {
  const newest = runs.reduce<number | null>((max, r) => (max === null || r.slot > max ? r.slot : max), null);
  if (newest === null) return null;
  const nodes = nodesOfSlot(runs, newest);
  return nodes.length > 1 ? { slot: newest, nodes } : null;
}
