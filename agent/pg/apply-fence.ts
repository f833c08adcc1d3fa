/**
 * The fence on a running server, the one sequence shared by a `fence` action, a fence re-applied
 * from the state file and a self-fence, on one connection (a connection costs a fork on the server,
 * and a self-fence has a bound to meet): write the read-only setting and reload, wait until this
 * very session sees it, then end every other client session, including any opened in between, but
 * never the agent's own connections (client.ts `agentSessionPids`).
 *
 * Why this session seeing the setting is enough: `pg_reload_conf()` signals the postmaster, which
 * re-reads the configuration first and only then signals every backend, this one included. Once
 * this session sees `on`, every session the postmaster starts from then on starts read-only, and
 * every session started before is in `pg_stat_activity` for the terminate to end.
 */
import { agentSessionPids, type DbTarget, withClient } from './client.ts';
import { sessionReadOnly, terminateClients, writeFenceSetting } from './queries.ts';

/** Returns how many client sessions were ended. */
export function applyFence(db: DbTarget, timeoutMs: number, now: () => number): Promise<number> {
  return withClient(db, timeoutMs, async (client) => {
    await writeFenceSetting(client);
    const deadline = now() + timeoutMs;
    while (!(await sessionReadOnly(client))) {
      if (now() > deadline) throw new Error(`the server still runs read-write ${timeoutMs} ms after the reload`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return terminateClients(client, agentSessionPids(db));
  });
}
