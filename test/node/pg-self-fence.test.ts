/**
 * Self-fencing on a real PostgreSQL pair (contract section 6): the primary's agent fences itself when
 * it has had neither a lease nor a standby reply for L, never while its standby streams, and a lease
 * at its epoch (only that) lifts its own fence, never the monitor's. The keeper is driven by explicit
 * ticks (it is not started); waits are counted polls with a deadline, spaced by the poll interval
 * because PostgreSQL's replies arrive on their own clock.
 */
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaseIntake } from '#agent/lease/lease-intake.ts';
import { SelfFenceKeeper } from '#agent/lease/self-fence-keeper.ts';
import { DurableLedger } from '#agent/ledger-file.ts';
import { PgBackend } from '#agent/pg/backend.ts';
import { NODE_STATE_FILE } from '#agent/pg/node-state.ts';
import { pgSelfFenceHost } from '#agent/pg/self-fence-host.ts';
import { type AgentServer, startAgentServer } from '#agent/server.ts';
import { type PgCluster, startPgCluster } from '#harness/pg-cluster.ts';
import { actionBody, sendAction } from '#harness/sim-harness.ts';
import { deriveKey } from '#shared/keys.ts';
import { SELF_FENCE_APPLY_MS } from '#shared/lease/drift.ts';
import type { SelfFenceDecision } from '#shared/lease/self-fence.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const SECRET = 'pg-self-fence-webhook-secret';
const STORE = 'pg-lease';
const NODE = 'lease-a';
const LEASE_SECONDS = 3;
const POLL_MS = 250;
/** The epoch the node follows from the start (from its state file), so an older one exists. */
const EPOCH = 2;

let cluster: PgCluster;
let scratch: string;
let key: string;
let backend: PgBackend;
let keeper: SelfFenceKeeper;
let server: AgentServer;
const logs: string[] = [];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Ticks every POLL_MS until `until` holds for a decision, at most `polls` times; the decisions seen. */
async function tickUntil(until: (d: SelfFenceDecision | null) => boolean, polls: number) {
  const seen: Array<SelfFenceDecision | null> = [];
  for (let i = 0; i < polls; i++) {
    const d = await keeper.tick();
    seen.push(d);
    if (until(d)) return { reached: true, seen };
    await pause(POLL_MS);
  }
  return { reached: false, seen };
}

function leaseHeaders(epoch: number, seconds: number, node = NODE): Record<string, string> {
  const ts = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', key).update(`${ts}.lease.${STORE}.${node}.${epoch}.${seconds}`).digest('hex');
  return {
    'x-mirrorwatch-lease': `epoch=${epoch}; seconds=${seconds}`,
    'x-mirrorwatch-timestamp': String(ts),
    'x-mirrorwatch-signature': `v1=${mac}`,
  };
}

async function probe(headers: Record<string, string> = {}): Promise<AgentReport> {
  const res = await fetch(`${server.url}/health`, { headers });
  expect(res.status).toBe(200);
  return AgentReport.parse(await res.json());
}

/** One transaction from a client inside the store, straight to the primary: committed or refused. */
async function write(): Promise<'committed' | string> {
  const client = new pg.Client({
    host: cluster.primary.host,
    port: cluster.primary.port,
    user: 'postgres',
    database: 'postgres',
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, at timestamptz DEFAULT now())');
    await client.query('INSERT INTO orders DEFAULT VALUES');
    return 'committed';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** How many walsenders the primary still has (a black-holed one stays until wal_sender_timeout). */
async function walsenders(): Promise<number> {
  const c = new pg.Client({
    host: cluster.primary.host,
    port: cluster.primary.port,
    user: 'postgres',
    database: 'postgres',
  });
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_stat_replication')).rows.length;
  } finally {
    await c.end();
  }
}

/** Waits (counted polls) until the standby's walreceiver streams again. */
async function standbyStreams(): Promise<void> {
  const client = () =>
    new pg.Client({ host: cluster.primary.host, port: cluster.primary.port, user: 'postgres', database: 'postgres' });
  for (let i = 0; i < 120; i++) {
    const c = client();
    await c.connect();
    const rows = (await c.query("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'")).rows;
    await c.end();
    if (rows.length > 0) return;
    await pause(250);
  }
  throw new Error('the standby did not stream again within 30 s');
}

beforeAll(async () => {
  // The walsender outlives the lease on purpose: the fence must come from silent replies, not from
  // a closed connection.
  cluster = await startPgCluster({ replicationGate: true, settings: { wal_sender_timeout: "'30s'" } });
  scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-self-fence-'));
  key = await deriveKey(SECRET, STORE, NODE);
  const log = (line: string) => logs.push(line);
  await mkdir(join(scratch, NODE), { recursive: true });
  const state = {
    version: 1,
    epoch: EPOCH,
    fenced: false,
    pendingPromotion: null,
    updatedAt: new Date().toISOString(),
  };
  await writeFile(join(scratch, NODE, NODE_STATE_FILE), JSON.stringify(state));
  const db = { host: cluster.primary.host, port: cluster.primary.port, user: 'postgres', dbname: 'postgres' };
  let k: SelfFenceKeeper | null = null;
  backend = await PgBackend.open({
    node: NODE,
    db,
    stateDir: join(scratch, NODE),
    reconcileIntervalMs: 200,
    onPromoted: (epoch) => k?.notePromoted(epoch),
    log,
  });
  await backend.start();
  keeper = new SelfFenceKeeper({
    host: pgSelfFenceHost({ backend, db, timeoutMs: 2000, log }),
    enabled: true,
    leaseSeconds: LEASE_SECONDS,
    pollMs: POLL_MS,
    log,
  });
  k = keeper;
  server = await startAgentServer({
    backend,
    store: STORE,
    node: NODE,
    actions: { keys: [key], ledger: await DurableLedger.open(join(scratch, NODE)) },
    leases: leaseIntake({ keys: [key], store: STORE, node: NODE, keeper, log }),
    log,
  });
  await standbyStreams();
}, 120_000);

afterAll(async () => {
  await keeper?.stop();
  backend?.stop();
  await server?.close();
  await cluster?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('a PostgreSQL primary with self-fencing', () => {
  it('with its standby streaming and no lease at all (a WAN cut), never fences itself over several lease periods', async () => {
    const started = performance.now();
    const { reached, seen } = await tickUntil(
      (d) => d?.action === 'fence' || performance.now() - started > 3 * LEASE_SECONDS * 1000,
      200,
    );
    expect(reached).toBe(true);
    expect(seen.filter((d) => d?.action === 'fence')).toEqual([]);
    expect(seen.at(-1)).toMatchObject({ action: 'writable', holding: 'standby' });
    expect(await write()).toBe('committed');
    expect((await probe()).selfFenced).toBe(false);
  }, 60_000);

  it('with no lease and its replication link black-holed, fences itself within the lease plus the apply bound (its walsender still connected), and a direct writer is refused', async () => {
    cluster.cutReplication(true);
    const cut = performance.now();
    const { reached } = await tickUntil((d) => d?.action === 'fence', 200);
    const fencedAt = performance.now();
    expect(reached).toBe(true);
    // The last reply came before the cut; one poll interval dates it earlier still.
    expect(fencedAt - cut).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + SELF_FENCE_APPLY_MS + POLL_MS);
    expect(await write()).toMatch(/read-only transaction/);
    expect(await walsenders()).toBeGreaterThan(0);
    const report = await probe();
    expect(report).toMatchObject({ role: 'primary', fenced: true, selfFenced: true });
    expect(logs.some((l) => l.includes('self-fence at epoch'))).toBe(true);
  }, 60_000);

  it('stays fenced when the standby streams again: only a lease lifts a self-fence', async () => {
    cluster.cutReplication(false);
    await standbyStreams();
    const { seen } = await tickUntil(() => false, 8);
    expect(seen.every((d) => d?.action === 'stay-fenced')).toBe(true);
    expect(await write()).toMatch(/read-only transaction/);
  }, 60_000);

  it('ignores a lease for another node, a bad signature and a lease at an older epoch; one at its epoch lifts the self-fence', async () => {
    expect(backend.state).toMatchObject({ epoch: EPOCH, fenced: true, selfFenced: true });
    await probe(leaseHeaders(EPOCH, LEASE_SECONDS, 'lease-b'));
    await probe({ ...leaseHeaders(EPOCH, LEASE_SECONDS), 'x-mirrorwatch-signature': `v1=${'0'.repeat(64)}` });
    await probe(leaseHeaders(EPOCH - 1, LEASE_SECONDS));
    expect((await keeper.tick())?.action).toBe('stay-fenced');
    expect(await write()).toMatch(/read-only transaction/);
    expect(logs.some((l) => l.includes('not signed for'))).toBe(true);
    expect(logs.some((l) => l.includes(`at epoch ${EPOCH - 1} ignored`))).toBe(true);

    const report = await probe(leaseHeaders(EPOCH, LEASE_SECONDS));
    expect(report.lease).toMatchObject({ epoch: EPOCH });
    const { reached } = await tickUntil((d) => d?.action === 'lift', 4);
    expect(reached).toBe(true);
    expect(await write()).toBe('committed');
    expect(await probe()).toMatchObject({ fenced: false, selfFenced: false });
    expect(logs.some((l) => l.includes('self-fence lifted'))).toBe(true);
  }, 60_000);

  it("never lifts the monitor's fence, whatever lease arrives", async () => {
    const fence = actionBody({ action: 'fence', store: STORE, node: NODE, epoch: EPOCH + 1 });
    const answer = await sendAction(server.url, fence.raw, { key: fence.key, master: SECRET });
    expect(answer).toMatchObject({ kind: 'answer', status: 200 });
    expect(backend.state).toMatchObject({ epoch: EPOCH + 1, fenced: true, selfFenced: false });
    await probe(leaseHeaders(EPOCH + 1, LEASE_SECONDS));
    const { seen } = await tickUntil(() => false, 4);
    expect(seen).toEqual(seen.map(() => expect.objectContaining({ action: 'stay-fenced', by: 'monitor' })));
    expect(await write()).toMatch(/read-only transaction/);
    expect(await probe()).toMatchObject({ fenced: true, selfFenced: false });
  }, 60_000);
});

describe('a PostgreSQL standby', () => {
  it('reports contact age 0 while streaming, then a growing age once the primary is gone, not reset by receiver restarts', async () => {
    const standby = await PgBackend.open({
      node: 'lease-b',
      db: { host: cluster.standby.host, port: cluster.standby.port, user: 'postgres', dbname: 'postgres' },
      stateDir: join(scratch, 'lease-b'),
      log: () => undefined,
    });
    await standbyStreams();
    expect((await standby.report()).replication).toMatchObject({ state: 'streaming', primaryContactAgeSeconds: 0 });

    await cluster.stop('primary');
    const stopped = performance.now();
    const ages: number[] = [];
    for (let i = 0; i < 40 && (ages.at(-1) ?? 0) < 3; i++) {
      await pause(POLL_MS);
      const replication = (await standby.report()).replication;
      if (replication?.state === 'disconnected') ages.push(replication.primaryContactAgeSeconds ?? -1);
    }
    // The receiver is restarted every 500 ms against a primary that is down: none of that is contact
    // (its 'starting' life is usually too short for a sample here; lease-tracking.test.ts pins the rule).
    expect(ages.at(-1)).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < ages.length; i++) expect(ages[i]).toBeGreaterThanOrEqual(ages[i - 1] ?? 0);
    expect(ages.at(-1)).toBeLessThanOrEqual((performance.now() - stopped) / 1000);
    await cluster.restart('primary');
  }, 60_000);
});
