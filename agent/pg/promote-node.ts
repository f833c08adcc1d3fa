/**
 * The `promote` action on a PostgreSQL node: `pg_promote` with the intent written to the state file
 * first, so a promotion that completes after an agent crash still gets its epoch (the backend's
 * reconcile records it). A node already primary only takes the epoch; a fenced former primary is
 * refused. `promoted(epoch)` is told whenever the node is primary at a new epoch (a lease, for the
 * self-fence).
 */
import type pg from 'pg';
import { type ActionOutcome, ActionRefusedError } from '../backend.ts';
import { dbErrorText } from './client.ts';
import type { NodeStateStore } from './node-state.ts';
import { liftFenceSetting, promote, readStatus, type StatusRow } from './queries.ts';

export interface PromoteContext {
  node: string;
  where: string;
  store: NodeStateStore;
  waitSeconds: number;
  timeoutMs: number;
  query<T>(task: (client: pg.Client) => Promise<T>, timeoutMs?: number): Promise<T>;
  promoted(epoch: number): void;
  log(line: string): void;
}

export async function promoteNode(ctx: PromoteContext, epoch: number): Promise<ActionOutcome> {
  const { node, where, store } = ctx;
  let status: StatusRow;
  try {
    status = await ctx.query(readStatus);
  } catch (error) {
    throw new ActionRefusedError(
      503,
      'database_unavailable',
      `cannot promote ${node}: ${where} does not answer (${dbErrorText(error)})`,
    );
  }
  const state = store.current;
  if (!status.in_recovery) {
    if (state.fenced) {
      throw new ActionRefusedError(
        409,
        'node_fenced',
        `${node} is a fenced former primary (fenced at epoch ${state.epoch}): rebuild it as a standby before promoting it`,
      );
    }
    await store.update({ epoch: Math.max(state.epoch, epoch), pendingPromotion: null });
    ctx.promoted(store.current.epoch);
    return { state: 'completed', message: `${node} is already primary; it now follows epoch ${epoch}` };
  }
  await store.update({ pendingPromotion: epoch });
  const wait = ctx.waitSeconds;
  let promoted: boolean;
  try {
    promoted = await ctx.query(
      async (client) => {
        const done = await promote(client, wait);
        if (done) await liftFenceSetting(client);
        return done;
      },
      ctx.timeoutMs + wait * 1000,
    );
  } catch (error) {
    throw new Error(`pg_promote on ${where} failed: ${dbErrorText(error)}`);
  }
  if (!promoted) {
    ctx.log(`promotion to epoch ${epoch} signalled, not finished within ${wait} s: its epoch is recorded when it is`);
    return {
      state: 'accepted',
      message: `promotion of ${node} signalled; not finished within ${wait} s, epoch ${epoch} is recorded when it completes`,
    };
  }
  await store.update({ epoch: Math.max(store.current.epoch, epoch), pendingPromotion: null });
  ctx.promoted(store.current.epoch);
  ctx.log(`promoted to primary at epoch ${epoch}`);
  return { state: 'completed', message: `${node} promoted to primary at epoch ${epoch}` };
}
