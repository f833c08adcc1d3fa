/**
 * The fence on a running server, the one sequence shared by a `fence` action, a fence re-applied
 * from the state file and a self-fence: write the read-only setting, wait until a fresh session
 * starts read-only (a reload reaches the postmaster asynchronously), then end every other session,
 * including any opened in between.
 */
import { type DbTarget, withClient } from './client.ts';
import { newSessionsReadOnly, terminateClients, writeFenceSetting } from './queries.ts';

/** Returns how many client sessions were ended. */
export async function applyFence(db: DbTarget, timeoutMs: number, now: () => number): Promise<number> {
  await withClient(db, timeoutMs, writeFenceSetting);
  const deadline = now() + timeoutMs;
  while (!(await withClient(db, timeoutMs, newSessionsReadOnly))) {
    if (now() > deadline) throw new Error(`new sessions still start read-write ${timeoutMs} ms after the reload`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return withClient(db, timeoutMs, terminateClients);
}
