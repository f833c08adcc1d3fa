/**
 * The PostgreSQL run measured: a real streaming pair with agents and an arbiter (the same harness
 * as the end-to-end test), the worker under `wrangler dev`, a writer committing continuously,
 * then kill -9 of the primary. Detection, decision and completion come from the failover record;
 * RTO is crash to the first commit acknowledged by the new primary; RPO is what was lost.
 */
import { type LiveWorker, waitFor, watchWithWrites } from '#harness/live-worker.ts';
import { sql, startPgStore } from '#harness/pg-store.ts';
import { deriveKeys } from '#shared/keys.ts';

export interface PgRun {
  mode: 'synchronous' | 'asynchronous';
  detectionMs: number;
  decisionMs: number;
  promotedMs: number;
  rtoMs: number;
  lostCommits: number;
  ackedBeforeCrash: number;
  lagSecondsAtDecision: number | null;
}

export async function measurePgFailover(worker: LiveWorker, synchronous: boolean, id: string): Promise<PgRun> {
  const master = worker.secrets.WEBHOOK_SECRET;
  const store = await startPgStore({ id, synchronous, actionKeysFor: (node) => deriveKeys(master, id, node) });
  try {
    await watchWithWrites(worker, store, 50);
    const crashedAt = Date.now();
    await store.cluster.kill9Primary();
    const done = await waitFor(
      'failover completed',
      () => worker.store(id),
      (s) => s.lastFailover?.state === 'completed',
      90_000,
    );
    const newPrimary = store.cluster.standby.port;
    await waitFor(
      'writes on the new primary',
      async () => store.writer.ackedBy(newPrimary).length,
      (n) => n >= 1,
      30_000,
    );
    const firstAfter = store.writer.ackedBy(newPrimary)[0]?.at ?? Number.NaN;
    const f = done.lastFailover;
    if (!f) throw new Error('no failover record');
    const present = new Set((await sql(store.cluster.standby, 'SELECT id FROM orders')).map((r) => Number(r.id)));
    const acked = store.writer.acked.filter((a) => a.at <= crashedAt);
    return {
      mode: synchronous ? 'synchronous' : 'asynchronous',
      detectionMs: Date.parse(f.detectedAt ?? f.decidedAt) - crashedAt,
      decisionMs: Date.parse(f.decidedAt) - crashedAt,
      promotedMs: Date.parse(f.completedAt ?? '') - crashedAt,
      rtoMs: firstAfter - crashedAt,
      lostCommits: acked.filter((a) => !present.has(a.id)).length,
      ackedBeforeCrash: acked.length,
      lagSecondsAtDecision: f.lagSecondsAtDecision,
    };
  } finally {
    await store.close();
  }
}
