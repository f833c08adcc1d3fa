/**
 * Leases and self-fencing end to end (contract section 6) with real parts: an asynchronous
 * PostgreSQL pair whose agents fence themselves, an arbiter, the worker under `wrangler dev`, and a
 * client inside the store committing straight to the primary's database throughout. One store
 * tells the story in order: the WAN link alone is cut (nothing happens), the primary is cut off from
 * everyone but heals before the threshold (it fences itself, then a lease lifts it), and finally it
 * stays cut off: it fences itself before its standby is promoted, and acknowledges no commit after.
 * Asynchronous on purpose: a synchronous pair would stop acknowledging once its standby is gone,
 * whatever the lease.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LiveWorker, startLiveWorker, waitFor } from '#harness/live-worker.ts';
import { type PgStore, startPgStore, Writer } from '#harness/pg-store.ts';
import { deriveKeys } from '#shared/keys.ts';

const LEASE_SECONDS = 4;
const SETTINGS = {
  intervalSeconds: 1,
  timeoutMs: 1000,
  failover: { mode: 'auto', thresholdSeconds: 10, leaseSeconds: LEASE_SECONDS, maxLagSeconds: 30 },
} as const;

let worker: LiveWorker;
let store: PgStore;
/** A client inside the store: commits straight to node a's database, wherever the edge stands. */
let inside: Writer;

beforeAll(async () => {
  worker = await startLiveWorker();
  const master = worker.secrets.WEBHOOK_SECRET;
  store = await startPgStore({
    id: 'pg-lease',
    synchronous: false,
    actionKeysFor: (node) => deriveKeys(master, 'pg-lease', node),
    selfFence: { leaseSeconds: LEASE_SECONDS, pollMs: 250 },
    replicationGate: true,
  });
  await worker.putConfig({ version: 1, defaults: SETTINGS, stores: [store.config] });
  await waitFor(
    'store healthy',
    () => worker.store(store.id),
    (s) => s.status === 'healthy',
    60_000,
  );
  inside = new Writer(async () => store.cluster.primary);
  inside.start();
  await waitFor(
    'writes flowing',
    async () => inside.acked.length,
    (n) => n >= 20,
    30_000,
  );
}, 120_000);

afterAll(async () => {
  await inside?.stop();
  await store?.close();
  worker?.stop();
}, 60_000);

/** Watches for `ms` of real time, failing at once if `bad` ever holds; real time must pass here. */
async function watchFor(ms: number, bad: () => Promise<string | null>): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const why = await bad();
    if (why !== null) throw new Error(why);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** A failed wait says what the agents logged last, which is where a lease refused would show. */
async function withAgentLog<T>(wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`${why}\nlast agent log lines:\n${store.logs.slice(-30).join('\n')}`);
  }
}

const ackedByA = (after: number) =>
  inside.acked.filter((a) => a.port === store.cluster.primary.port && a.at > after).length;

describe('leases and self-fencing on a real PostgreSQL pair', () => {
  it('only the WAN link cut: the primary never fences itself and nothing is promoted', async () => {
    store.cutWan(true);
    const cutAt = Date.now();
    await watchFor(2.5 * SETTINGS.failover.thresholdSeconds * 1000, async () => {
      const a = await store.reportOfA();
      if (a?.fenced) return `the primary fenced itself with only its WAN link cut: ${JSON.stringify(a)}`;
      return null;
    });
    expect(await worker.failovers(store.id)).toEqual([]);
    expect(ackedByA(cutAt + SETTINGS.failover.thresholdSeconds * 1000)).toBeGreaterThan(0);
    store.cutWan(false);
    await waitFor(
      'healthy again',
      () => worker.store(store.id),
      (s) => s.status === 'healthy',
      30_000,
    );
  }, 90_000);

  it('a cut that heals before the threshold: the primary fences itself, a lease lifts it, nothing is promoted', async () => {
    store.isolateA(true);
    const cutAt = Date.now();
    const fenced = await waitFor(
      'self-fenced',
      () => store.reportOfA(),
      (r) => r?.selfFenced === true,
      8_000,
    );
    expect(fenced).toMatchObject({ role: 'primary', fenced: true, selfFenced: true });
    const fencedAfter = Date.now() - cutAt;
    expect(fencedAfter).toBeLessThan(SETTINGS.failover.thresholdSeconds * 1000);
    store.isolateA(false);
    await withAgentLog(() =>
      waitFor(
        'self-fence lifted',
        () => store.reportOfA(),
        (r) => r?.fenced === false,
        15_000,
      ),
    );
    const liftedAt = Date.now();
    await waitFor(
      'writes on a again',
      async () => ackedByA(liftedAt),
      (n) => n >= 5,
      15_000,
    );
    await waitFor(
      'healthy again',
      () => worker.store(store.id),
      (s) => s.status === 'healthy',
      30_000,
    );
    expect(await worker.failovers(store.id)).toEqual([]);
    // The self-fence and its lift went through cleanly: the agent never ended its own sessions, never
    // re-applied the fence under itself, and never stopped its server.
    expect(store.logs.filter((l) => /server stopped|applying it failed|writes were allowed again/.test(l))).toEqual([]);
  }, 90_000);

  it('cut off from the edge, its standby and the arbiter: fenced before the promote, 0 commits acknowledged after it', async () => {
    store.isolateA(true);
    const cutAt = Date.now();
    const done = await waitFor(
      'failover completed',
      () => worker.store(store.id),
      (s) => s.lastFailover?.state === 'completed',
      90_000,
    );
    expect(done.lastFailover).toMatchObject({ from: 'pg-lease-a', to: 'pg-lease-b', mode: 'auto' });
    const decidedAt = Date.parse(done.lastFailover?.decidedAt ?? '');
    // The promote is sent at the decision or after it (the gate may hold it): counting from the
    // decision counts every commit the old primary acknowledged after the promote, and more.
    expect(decidedAt).toBeGreaterThan(cutAt);
    expect(ackedByA(decidedAt)).toBe(0);
    // The client inside did reach it after the cut: it committed there while the lease still held.
    expect(ackedByA(cutAt)).toBeGreaterThan(0);
    expect(await store.reportOfA()).toMatchObject({ fenced: true, selfFenced: true });
    // The new primary takes writes.
    const onB = new Writer(async () => store.cluster.standby);
    onB.start();
    try {
      await waitFor(
        'writes on the new primary',
        async () => onB.acked.length,
        (n) => n >= 5,
        30_000,
      );
    } finally {
      await onB.stop();
    }
    const lastOnA = inside.acked.filter((a) => a.port === store.cluster.primary.port).at(-1);
    console.log(
      `self-fence e2e: cut at 0; last commit on the old primary at ${(lastOnA?.at ?? cutAt) - cutAt} ms; ` +
        `failover decided at ${decidedAt - cutAt} ms; commits acknowledged by the old primary after it: ${ackedByA(decidedAt)}`,
    );
  }, 120_000);
});
