/**
 * The agent never fights itself over the fence, on a real PostgreSQL server. A self-fence is applied
 * while the agent's own reports and background check keep reading the server (each of which,
 * seeing "fenced in the state file, not read-only on the server", would re-apply the fence and end
 * every other session): the apply must succeed every time, in time, and the server keep running.
 * A fence also never ends the agent's own open connections, only its clients'.
 *
 * Fails when reports bring the server in line outside the fence queue (their re-applied fence ends
 * the self-fence's session and the server is stopped), or when the fence ends the agent's sessions.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFence } from '#agent/pg/apply-fence.ts';
import { PgBackend } from '#agent/pg/backend.ts';
import { type DbTarget, withClient } from '#agent/pg/client.ts';
import { type PgCluster, startPgCluster } from '#harness/pg-cluster.ts';

const CYCLES = 6;

let cluster: PgCluster;
let scratch: string;
let db: DbTarget;
let backend: PgBackend;
const logs: string[] = [];

async function postmasterPid(): Promise<number> {
  const dataDir = await withClient(db, 2000, async (c) => {
    const row = (await c.query("SELECT current_setting('data_directory') AS d")).rows[0];
    return String(row?.d);
  });
  return Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

/** A client inside the store with a session open: ended by a fence, or not. */
async function openClient(): Promise<{ alive: () => Promise<boolean>; close: () => Promise<void> }> {
  const client = new pg.Client({ host: db.host, port: db.port, user: db.user, database: db.dbname });
  client.on('error', () => undefined);
  await client.connect();
  return {
    alive: () =>
      client.query('SELECT 1').then(
        () => true,
        () => false,
      ),
    close: () => client.end().catch(() => undefined),
  };
}

/** Polls until the agent's own session is inside its sleep (counted polls, no fixed pause). */
async function untilAsleep(): Promise<void> {
  const sql =
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%AS own_session_asleep'";
  for (let i = 0; i < 200; i++) {
    const client = new pg.Client({ host: db.host, port: db.port, user: db.user, database: db.dbname });
    await client.connect();
    const n = Number((await client.query(sql)).rows[0]?.n);
    await client.end();
    if (n > 0) return;
  }
  throw new Error("the agent's own session never showed up as active");
}

beforeAll(async () => {
  cluster = await startPgCluster();
  scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-fence-queue-'));
  db = { host: cluster.primary.host, port: cluster.primary.port, user: 'postgres', dbname: 'postgres' };
  backend = await PgBackend.open({
    node: 'queue-a',
    db,
    stateDir: scratch,
    // The background check as eager as it gets: every tick finds the state file fenced.
    reconcileIntervalMs: 5,
    log: (line) => logs.push(line),
  });
  await backend.start();
}, 120_000);

afterAll(async () => {
  backend?.stop();
  await cluster?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("a PostgreSQL agent's fence queue", () => {
  it('a self-fence applied while reports and the background check run concurrently succeeds every time, and the server keeps running', async () => {
    const pid = await postmasterPid();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const client = await openClient();
      const before = logs.length;
      let applying = true;
      // Reports start before the fence is recorded and keep coming until it is in force.
      const reporting = (async () => {
        let reports = 0;
        while (applying || reports < 3) {
          await Promise.all([backend.report(), backend.report()]);
          reports += 2;
        }
        return reports;
      })();
      await backend.selfFence().finally(() => {
        applying = false;
      });
      expect(await reporting).toBeGreaterThanOrEqual(3);
      const lines = logs.slice(before);
      expect(lines.filter((l) => l.startsWith('self-fence applied'))).toEqual([
        expect.stringMatching(/^self-fence applied in \d+ ms: read-only, \d+ client sessions ended$/),
      ]);
      expect(lines.filter((l) => /stopped|failed|writes were allowed again/.test(l))).toEqual([]);
      expect(await client.alive()).toBe(false);
      await client.close();
      expect(await backend.report()).toMatchObject({ role: 'primary', healthy: true, fenced: true, selfFenced: true });
      await backend.liftSelfFence(`cycle ${cycle} done`);
      expect(backend.state).toMatchObject({ fenced: false, selfFenced: false });
    }
    expect(await postmasterPid()).toBe(pid);
  }, 120_000);

  it("a fence ends every client session but never one of the agent's own", async () => {
    const client = await openClient();
    // An agent connection open across the whole fence, as a report or a self-fence poll would be.
    const own = withClient(db, 5000, async (c) => {
      await c.query('SELECT pg_sleep(1) AS own_session_asleep');
      return (await c.query('SELECT 1 AS one')).rows[0]?.one;
    });
    await untilAsleep();
    const ended = await applyFence(db, 2000, Date.now);
    expect(ended).toBeGreaterThanOrEqual(1);
    expect(await own).toBe(1);
    expect(await client.alive()).toBe(false);
    await client.close();
    await withClient(db, 2000, (c) => c.query('ALTER SYSTEM RESET default_transaction_read_only'));
    await withClient(db, 2000, (c) => c.query('SELECT pg_reload_conf()'));
  }, 60_000);
});
