/**
 * The `fence` action on a PostgreSQL node (the backend runs it in its fence queue). A standby only
 * takes the epoch: it takes no writes. A primary gets the fence recorded in the state file first,
 * so every later report and every restart keeps it fenced whatever happens next, then applied on
 * the server, or written into postgresql.auto.conf when the server is down.
 */
import type pg from 'pg';
import type { ActionOutcome } from '../backend.ts';
import { dbErrorText } from './client.ts';
import type { NodeStateStore } from './node-state.ts';
import { readStatus, type StatusRow } from './queries.ts';

export interface FenceContext {
  node: string;
  where: string;
  store: NodeStateStore;
  query<T>(task: (client: pg.Client) => Promise<T>): Promise<T>;
  /** The fence on the running server (./apply-fence.ts); resolves with the sessions it ended. */
  applyFence(): Promise<number>;
  /** The fence for a server that is down (./offline-fence.ts); what happened, for the log. */
  fenceOffline(): Promise<string>;
  log(line: string): void;
}

export async function fenceNode(ctx: FenceContext, epoch: number): Promise<ActionOutcome> {
  const { node, where, store } = ctx;
  let status: StatusRow | null = null;
  let downReason = '';
  try {
    status = await ctx.query(readStatus);
  } catch (error) {
    downReason = dbErrorText(error);
  }
  const newEpoch = Math.max(store.current.epoch, epoch);
  if (status?.in_recovery) {
    await store.update({ epoch: newEpoch });
    return { state: 'completed', message: `${node} is a standby and takes no writes; it now follows epoch ${epoch}` };
  }
  await store.update({ fenced: true, selfFenced: false, epoch: newEpoch, pendingPromotion: null });
  if (status === null) {
    const offline = await ctx.fenceOffline();
    ctx.log(`fence at epoch ${epoch} recorded while ${where} is down (${downReason}); ${offline}`);
    return {
      state: 'accepted',
      message: `fence of ${node} at epoch ${epoch} recorded; ${where} does not answer (${downReason}); ${offline}`,
    };
  }
  try {
    const ended = await ctx.applyFence();
    ctx.log(`fenced at epoch ${epoch}: default_transaction_read_only=on, ${ended} client sessions ended`);
    return {
      state: 'completed',
      message: `${node} fenced at epoch ${epoch}: writes refused, ${ended} client sessions ended`,
    };
  } catch (error) {
    ctx.log(`fence at epoch ${epoch} recorded, applying it on ${where} failed: ${dbErrorText(error)}`);
    return {
      state: 'accepted',
      message: `fence of ${node} at epoch ${epoch} recorded; applying it failed (${dbErrorText(error)}) and is retried on every report`,
    };
  }
}
