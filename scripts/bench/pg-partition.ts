/**
 * The PostgreSQL partition run measured (contract section 6): a real asynchronous pair with
 * self-fencing agents and an arbiter (the harness of test/e2e/postgres-self-fence.test.ts), the
 * worker under `wrangler dev`, and a client inside the store committing straight to the primary's
 * database the whole time. Then the primary is cut off from the edge, its standby and the arbiter
 * (its clients still reach it), and stays cut off until the standby is promoted.
 *
 * Times are from the cut. Self-fence: the first commit the old primary refused after the cut (its
 * fence was in force by then; the last commit it acknowledged came just before); the agent's own
 * report of `selfFenced` is polled beside it. Promote: when the monitor sent the promote, from the store's
 * events (the promote gate opening, or the decision when nothing held it). Margin: promote minus
 * self-fence. Acked after: commits the old primary acknowledged after the promote was sent (must be 0).
 */
import { type LiveWorker, waitFor } from '#harness/live-worker.ts';
import { startPgStore, Writer } from '#harness/pg-store.ts';
import { deriveKeys } from '#shared/keys.ts';
import { defaultLeaseSeconds } from '#shared/lease/lease-config.ts';

export interface PartitionSettings {
  name: string;
  intervalSeconds: number;
  timeoutMs: number;
  thresholdSeconds: number;
}

export interface PartitionRun {
  settings: PartitionSettings;
  leaseSeconds: number;
  /** Cut to the first commit the old primary refused. */
  selfFenceMs: number;
  /** Cut to the agent's report saying `selfFenced` (polled every 50 ms). */
  reportedMs: number;
  decidedMs: number;
  promoteSentMs: number;
  marginMs: number;
  completedMs: number;
  /** Commits the old primary acknowledged after the cut, and after the promote was sent. */
  ackedAfterCut: number;
  ackedAfterPromote: number;
}

/** The events that mean the promote left: the gate opening, or a fence unanswered with the gate open. */
const PROMOTE_SENT = /^promote gate open after|unanswered: promoting anyway/;

export async function measurePgPartition(worker: LiveWorker, settings: PartitionSettings, id: string) {
  const leaseSeconds = defaultLeaseSeconds(settings.thresholdSeconds);
  const master = worker.secrets.WEBHOOK_SECRET;
  const store = await startPgStore({
    id,
    synchronous: false,
    actionKeysFor: (node) => deriveKeys(master, id, node),
    selfFence: { leaseSeconds, pollMs: 250 },
    replicationGate: true,
  });
  const inside = new Writer(async () => store.cluster.primary);
  try {
    const { intervalSeconds, timeoutMs, thresholdSeconds } = settings;
    const defaults = { intervalSeconds, timeoutMs, failover: { mode: 'auto', thresholdSeconds, maxLagSeconds: 30 } };
    await worker.putConfig({ version: 1, defaults, stores: [store.config] });
    await waitFor(
      'store healthy',
      () => worker.store(id),
      (s) => s.status === 'healthy',
      120_000,
    );
    inside.start();
    await waitFor(
      'writes flowing',
      async () => inside.acked.length,
      (n) => n >= 20,
      30_000,
    );

    const cutAt = Date.now();
    store.isolateA(true);
    const reported = await waitFor(
      'self-fence reported',
      async () => ((await store.reportOfA())?.selfFenced === true ? Date.now() : null),
      (at) => at !== null,
      (leaseSeconds + 10) * 1000,
      50,
    );
    const done = await waitFor(
      'failover completed',
      () => worker.store(id),
      (s) => s.lastFailover?.state === 'completed',
      (thresholdSeconds + 3 * leaseSeconds + 60) * 1000,
    );
    const f = done.lastFailover;
    if (!f) throw new Error('no failover record');
    const decidedAt = Date.parse(f.decidedAt);
    const sent = (await worker.events(id)).filter((e) => Date.parse(e.at) >= decidedAt && PROMOTE_SENT.test(e.message));
    const promoteAt = sent.length > 0 ? Math.min(...sent.map((e) => Date.parse(e.at))) : decidedAt;
    const portA = store.cluster.primary.port;
    const onA = inside.ackedBy(portA);
    const fencedAt = inside.failed.find((r) => r.port === portA && r.at > cutAt)?.at;
    if (fencedAt === undefined) throw new Error('the old primary never refused a commit after the cut');
    return {
      settings,
      leaseSeconds,
      selfFenceMs: fencedAt - cutAt,
      reportedMs: (reported ?? cutAt) - cutAt,
      decidedMs: decidedAt - cutAt,
      promoteSentMs: promoteAt - cutAt,
      marginMs: promoteAt - fencedAt,
      completedMs: Date.parse(f.completedAt ?? '') - cutAt,
      ackedAfterCut: onA.filter((a) => a.at > cutAt).length,
      ackedAfterPromote: onA.filter((a) => a.at > promoteAt).length,
    } satisfies PartitionRun;
  } finally {
    await inside.stop();
    await store.close();
  }
}
