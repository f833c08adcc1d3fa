/**
 * mirrorwatch end to end with real parts: a PostgreSQL streaming pair, the PostgreSQL agents and an
 * arbiter, the worker under `wrangler dev`, and a writer committing rows throughout. The tests run
 * in order on one store and tell its story: the primary is killed and failed over without losing an
 * acknowledged commit; the old primary comes back read-only and is flagged for reinstatement; then
 * the whole store is cut off from the edge and nothing fails over. A primary-only sync installed on
 * both nodes (`npm run job -- --primary-only`, asking each node's real agent) runs on the primary
 * before the failover and on the new primary after it. Timings are for `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPrimaryOnly } from '#agent/job/primary-only.ts';
import { type LiveWorker, PG_RUN_DEFAULTS, startLiveWorker, waitFor, watchWithWrites } from '#harness/live-worker.ts';
import { type PgStore, sql, startPgStore } from '#harness/pg-store.ts';
import { deriveKeys, jobPrincipal, signingKey } from '#shared/keys.ts';

let worker: LiveWorker;
let store: PgStore;
let lockRoot: string;
/** When the sync's first slot ran: the slot after the failover must be a later minute. */
let firstSlotAt = 0;

/** One slot of the sync, as cron starts it on both hosts: each wrapper asks its own node's agent. */
async function syncSlot(): Promise<number[]> {
  const key = (await signingKey(worker.secrets.HOOK_SECRET, store.id, jobPrincipal('sync'))) ?? '';
  const target = { worker: worker.base, store: store.id, job: 'sync', credentials: { kind: 'signed' as const, key } };
  return Promise.all(
    [store.agents.a, store.agents.b].map((agent) =>
      runPrimaryOnly(target, [process.execPath, '-e', '0'], {
        agent: agent.server.url,
        lockDir: join(lockRoot, agent.id),
        log: () => undefined,
      }),
    ),
  );
}

beforeAll(async () => {
  worker = await startLiveWorker();
  // Each agent gets only its own key, derived from the worker's master as `npm run keys` does.
  const master = worker.secrets.WEBHOOK_SECRET;
  store = await startPgStore({
    id: 'pg-sync',
    synchronous: true,
    actionKeysFor: (node) => deriveKeys(master, 'pg-sync', node),
  });
  // The seeds' sync, every minute here; a long grace keeps a slot the test does not run from alerting.
  store.config.timezone = 'Asia/Shanghai';
  store.config.jobs = [{ id: 'sync', name: 'MobiLink sync', schedule: '* * * * *', graceSeconds: 3600 }];
  lockRoot = await mkdtemp(join(tmpdir(), 'mirrorwatch-e2e-locks-'));
  await watchWithWrites(worker, store, 20);
}, 120_000);

afterAll(async () => {
  if (lockRoot) await rm(lockRoot, { recursive: true, force: true });
  await store?.close();
  worker?.stop();
}, 60_000);

describe('PostgreSQL pair, synchronous replication', () => {
  it('kill -9 of the primary: the standby is promoted, writes resume, no acknowledged commit is lost', async () => {
    firstSlotAt = Date.now();
    expect(await syncSlot()).toEqual([0, 0]); // ran on a, stood aside on b
    const ackedBefore = store.writer.acked.length;
    const crashedAt = Date.now();
    await store.cluster.kill9Primary();
    const lastAckBeforeCrash = store.writer.acked.filter((a) => a.at <= crashedAt).at(-1);
    expect(lastAckBeforeCrash).toBeDefined();

    const done = await waitFor(
      'failover completed',
      () => worker.store(store.id),
      (s) => s.lastFailover?.state === 'completed',
      60_000,
    );
    expect(done.lastFailover).toMatchObject({ from: 'pg-sync-a', to: 'pg-sync-b', mode: 'auto', epoch: 1 });
    expect(done.primary).toBe('pg-sync-b');
    await waitFor(
      'writes resume on the new primary',
      async () => store.writer.ackedBy(store.cluster.standby.port).length,
      (n) => n >= 10,
      30_000,
    );

    const ids = (await sql(store.cluster.standby, 'SELECT id FROM orders')).map((r) => Number(r.id));
    const present = new Set(ids);
    const acked = store.writer.acked.filter((a) => a.at <= crashedAt);
    expect(acked.length).toBeGreaterThanOrEqual(ackedBefore > 0 ? 20 : 0);
    expect(acked.filter((a) => !present.has(a.id))).toEqual([]);
    expect(await worker.failovers(store.id)).toHaveLength(1);
  }, 120_000);

  it('the sync installed on both nodes ran on the old primary, and runs on the new one after the failover', async () => {
    // cron starts a slot once a minute: the next slot is the next minute, whatever the failover took.
    const nextMinute = Math.floor(firstSlotAt / 60_000 + 1) * 60_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextMinute - Date.now() + 200)));
    expect(await syncSlot()).toEqual([0, 0]); // a's database is gone: it stands aside; b runs
    // Oldest first, each slot's three heartbeats in the order they happened to arrive.
    const lines = (await worker.jobRuns(store.id, 'sync')).map((r) => `${r.event} ${r.node}`).reverse();
    expect([lines.slice(0, 3).sort(), lines.slice(3).sort()]).toEqual([
      ['skipped pg-sync-b', 'start pg-sync-a', 'success pg-sync-a'],
      ['skipped pg-sync-a', 'start pg-sync-b', 'success pg-sync-b'],
    ]);
    const [sync] = await worker.jobs(store.id);
    expect(sync).toMatchObject({ lastRun: { node: 'pg-sync-b' }, doubled: null });
  }, 90_000);

  it('the old primary restarted after the failover refuses writes and is flagged for reinstatement', async () => {
    await store.cluster.restart('primary');
    await expect(sql(store.cluster.primary, "INSERT INTO orders (note) VALUES ('split')")).rejects.toThrow(
      /read-only transaction/,
    );
    const status = await waitFor(
      'old primary seen again',
      () => worker.store(store.id),
      (s) => s.nodes.some((n) => n.id === 'pg-sync-a' && n.reachable && n.needsReinstatement === true),
      30_000,
    );
    expect(status.status).not.toBe('split_brain');
    expect(status.primary).toBe('pg-sync-b');
    expect(status.reasons.some((r) => r.includes('pg-sync-a') && r.includes('reinstate'))).toBe(true);
  }, 60_000);

  it('a store cut off from the edge shows store_unreachable and never fails over', async () => {
    const before = (await worker.failovers(store.id)).length;
    store.cutWan(true);
    await waitFor(
      'store unreachable',
      () => worker.store(store.id),
      (s) => s.status === 'store_unreachable',
      30_000,
    );
    const ackedAtCut = store.writer.acked.length;
    // Watch for three loss thresholds with the edge blind while the pair keeps serving the store:
    // real time has to pass for this, so the test observes the worker throughout it.
    const until = Date.now() + 3 * PG_RUN_DEFAULTS.failover.thresholdSeconds * 1000;
    while (Date.now() < until) {
      expect((await worker.store(store.id)).status).toBe('store_unreachable');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await worker.failovers(store.id)).toHaveLength(before);
    expect(store.writer.acked.length).toBeGreaterThan(ackedAtCut);
    store.cutWan(false);
  }, 60_000);
});
