/**
 * The same crash with asynchronous replication: commits acknowledged by the primary alone may be
 * lost, but only within the replication lag mirrorwatch recorded when it decided (the RPO it shows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveWorker, PG_RUN_DEFAULTS, startLiveWorker, waitFor, watchWithWrites } from '#harness/live-worker.ts';
import { type PgStore, sql, startPgStore } from '#harness/pg-store.ts';
import { deriveKeys } from '#shared/keys.ts';

let worker: LiveWorker;
let store: PgStore;

beforeAll(async () => {
  worker = await startLiveWorker();
  // Each agent gets only its own key, derived from the worker's master as `npm run keys` does.
  const master = worker.secrets.WEBHOOK_SECRET;
  store = await startPgStore({
    id: 'pg-async',
    synchronous: false,
    actionKeysFor: (node) => deriveKeys(master, 'pg-async', node),
  });
  await watchWithWrites(worker, store, 20);
}, 120_000);

afterAll(async () => {
  await store?.close();
  worker?.stop();
}, 60_000);

describe('PostgreSQL pair, asynchronous replication', () => {
  it('kill -9 of the primary: any commit lost falls within the lag recorded at decision', async () => {
    const crashedAt = Date.now();
    await store.cluster.kill9Primary();
    const done = await waitFor(
      'failover completed',
      () => worker.store(store.id),
      (s) => s.lastFailover?.state === 'completed',
      60_000,
    );
    const lag = done.lastFailover?.lagSecondsAtDecision;
    expect(typeof lag).toBe('number');

    const present = new Set((await sql(store.cluster.standby, 'SELECT id FROM orders')).map((r) => Number(r.id)));
    const acked = store.writer.acked.filter((a) => a.at <= crashedAt);
    expect(acked.length).toBeGreaterThanOrEqual(20);
    // The lag at decision was read while the stream was up, at most one probe interval before the crash.
    const window = ((lag ?? 0) + PG_RUN_DEFAULTS.intervalSeconds) * 1000;
    const lostOutsideTheLag = acked.filter((a) => !present.has(a.id) && crashedAt - a.at > window);
    expect(lostOutsideTheLag).toEqual([]);
  }, 120_000);
});
