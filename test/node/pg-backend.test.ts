/**
 * The PostgreSQL agent against a real streaming-replication pair (test/support/pg-cluster.ts):
 * reports on both roles, the primary killed with SIGKILL, promotion and fencing through signed HTTP
 * actions, durability of epoch and fence across agent restarts, and the arbiter's view.
 * The tests run in order and share one cluster, whose story they tell: A is the primary, B its
 * synchronous standby; A dies, A is fenced while down, B is promoted, A returns read-only.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arbiterBackend } from '#agent/arbiter-backend.ts';
import { DurableLedger } from '#agent/ledger-file.ts';
import { PgBackend } from '#agent/pg/backend.ts';
import { createResourceSampler } from '#agent/resources.ts';
import { type AgentServer, startAgentServer } from '#agent/server.ts';
import { freePort, type PgCluster, type PgNode, startPgCluster } from '#harness/pg-cluster.ts';
import { actionBody, json, probe, sendAction } from '#harness/sim-harness.ts';
import { deriveKey } from '#shared/keys.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const SECRET = 'pg-agent-webhook-secret';
const STORE = 'pg-store';

/** The test's environment without the master secrets: an agent refuses to start with one. */
function withoutMasters(): NodeJS.ProcessEnv {
  const { WEBHOOK_SECRET: _w, HOOK_SECRET: _h, ...rest } = process.env;
  return rest;
}

interface Agent {
  id: string;
  node: PgNode;
  stateDir: string;
  backend: PgBackend;
  server: AgentServer;
  url: string;
  logs: string[];
  close(): Promise<void>;
}

let cluster: PgCluster;
let scratch: string;
const agents: Agent[] = [];

async function startAgent(id: string, node: PgNode, stateDir = join(scratch, id)): Promise<Agent> {
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const backend = await PgBackend.open({
    node: id,
    db: { host: node.host, port: node.port, user: 'postgres', dbname: 'postgres' },
    stateDir,
    timeoutMs: 2000,
    resources: createResourceSampler(),
    reconcileIntervalMs: 200,
    log,
  });
  await backend.start();
  const server = await startAgentServer({
    backend,
    store: STORE,
    node: id,
    actions: { keys: [await deriveKey(SECRET, STORE, id)], ledger: await DurableLedger.open(stateDir) },
    log,
  });
  const agent: Agent = {
    id,
    node,
    stateDir,
    backend,
    server,
    url: server.url,
    logs,
    close: async () => {
      backend.stop();
      await server.close();
    },
  };
  agents.push(agent);
  return agent;
}

async function sql(node: PgNode, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ host: node.host, port: node.port, user: 'postgres', database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function health(url: string): Promise<AgentReport> {
  const answer = await probe(`${url}/health`, {}, 5000);
  if (answer.kind !== 'answer' || answer.status !== 200)
    throw new Error(`GET ${url}/health: ${JSON.stringify(answer)}`);
  return AgentReport.parse(JSON.parse(answer.text));
}

/** Polls `read` until `done` holds; fails with the last value after `timeoutMs`. */
async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

function action(kind: 'promote' | 'fence', node: string, epoch: number) {
  return actionBody({ action: kind, store: STORE, node, epoch, failoverId: `fo-${epoch}` });
}

let a: Agent;
let b: Agent;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-agent-'));
  cluster = await startPgCluster({ synchronous: true });
  await sql(cluster.primary, 'CREATE TABLE orders (id serial PRIMARY KEY, note text)');
  a = await startAgent('node-a', cluster.primary);
  b = await startAgent('node-b', cluster.standby);
}, 60_000);

afterAll(async () => {
  for (const agent of agents) await agent.close().catch(() => undefined);
  await cluster?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
}, 30_000);

describe('PostgreSQL agent on a streaming pair', () => {
  it('reports the primary and a synchronous streaming standby, with lag while replay is paused', async () => {
    const primary = await health(a.url);
    expect(primary).toMatchObject({ node: 'node-a', role: 'primary', epoch: 0, healthy: true, fenced: false });
    expect(primary.replication).toBeUndefined();
    expect(primary.resources?.memoryPercent).toBeGreaterThan(0);
    expect(primary.resources?.diskPercent).toBeGreaterThan(0);

    const caughtUp = await until(
      'standby caught up',
      () => health(b.url),
      (r) => r.replication?.state === 'streaming' && r.replication.lagBytes === 0 && r.replication.lagSeconds === 0,
    );
    expect(caughtUp).toMatchObject({
      node: 'node-b',
      role: 'standby',
      epoch: 0,
      healthy: true,
      replication: { state: 'streaming', primaryReachable: true, lagSeconds: 0, lagBytes: 0, synchronous: true },
    });

    await sql(cluster.standby, 'SELECT pg_wal_replay_pause()');
    await sql(cluster.primary, "INSERT INTO orders (note) SELECT 'row ' || g FROM generate_series(1, 500) g");
    const lagging = await until(
      'standby lagging',
      () => health(b.url),
      (r) => (r.replication?.lagBytes ?? 0) > 0,
    );
    expect(lagging.replication?.state).toBe('streaming');
    expect(lagging.replication?.lagSeconds).toBeGreaterThan(0);

    await sql(cluster.standby, 'SELECT pg_wal_replay_resume()');
    await until(
      'standby caught up again',
      () => health(b.url),
      (r) => r.replication?.lagBytes === 0 && r.replication.lagSeconds === 0,
    );
    expect(await sql(cluster.standby, 'SELECT count(*)::int AS n FROM orders')).toEqual([{ n: 500 }]);
  });

  it('refuses unsigned and mis-signed actions with 401 and changes nothing', async () => {
    const { raw, key } = action('promote', 'node-b', 1);
    const unsigned = await probe(`${b.url}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: raw,
    });
    const misSigned = await sendAction(b.url, raw, { key, master: 'not-the-secret' });
    for (const answer of [unsigned, misSigned]) {
      expect(answer).toMatchObject({ kind: 'answer', status: 401 });
      expect(json(answer)).toMatchObject({ error: { code: 'invalid_signature' } });
    }
    expect(await sql(cluster.standby, 'SELECT pg_is_in_recovery() AS r')).toEqual([{ r: true }]);
    expect(b.backend.state).toMatchObject({ epoch: 0, fenced: false, pendingPromotion: null });
  });

  it('an arbiter sees both nodes, served over HTTP, and takes no actions', async () => {
    const arbiter = await startAgentServer({
      backend: arbiterBackend({
        name: 'arb',
        nodes: [
          { id: 'node-a', url: a.url, tcp: { host: cluster.primary.host, port: cluster.primary.port } },
          { id: 'node-b', url: b.url },
          { id: 'node-c', url: `http://127.0.0.1:${await freePort()}` },
        ],
        timeoutMs: 1000,
        log: () => undefined,
      }),
      store: STORE,
      node: 'arb',
      actions: null,
      log: () => undefined,
    });
    try {
      const report = await health(arbiter.url);
      expect(report).toMatchObject({ role: 'arbiter', healthy: true, sees: { 'node-a': true, 'node-b': true } });
      expect(report.sees?.['node-c']).toBe(false);
      const { raw, key } = action('promote', 'arb', 1);
      expect(await sendAction(arbiter.url, raw, { key, master: SECRET })).toMatchObject({ status: 404 });
    } finally {
      await arbiter.close();
    }
  });

  it('after kill -9 of the primary: the standby reports the stream lost, the agents stay up', async () => {
    await cluster.kill9Primary();
    const standby = await until(
      'standby sees the primary gone',
      () => health(b.url),
      (r) => r.replication?.state === 'disconnected',
    );
    expect(standby).toMatchObject({
      role: 'standby',
      healthy: true,
      replication: { state: 'disconnected', primaryReachable: false, lagSeconds: 0 },
    });
    // The primary's agent answers for a database that is gone: unhealthy, last known role, no crash.
    expect(await health(a.url)).toMatchObject({ node: 'node-a', role: 'primary', healthy: false, epoch: 0 });
    expect(a.logs.some((l) => l.includes(`database 127.0.0.1:${cluster.primary.port} does not answer`))).toBe(true);

    const arbiter = arbiterBackend({
      name: 'arb',
      nodes: [
        { id: 'node-a', url: a.url },
        { id: 'node-b', tcp: { host: cluster.standby.host, port: cluster.standby.port } },
      ],
      log: () => undefined,
    });
    expect((await arbiter.report()).sees).toEqual({ 'node-a': false, 'node-b': true });
  });

  it('a database that never answered: healthy false, role unknown', async () => {
    const backend = await PgBackend.open({
      node: 'node-z',
      db: { host: '127.0.0.1', port: await freePort(), user: 'postgres', dbname: 'postgres' },
      stateDir: join(scratch, 'node-z'),
      timeoutMs: 500,
      log: () => undefined,
    });
    const report = AgentReport.parse(await backend.report());
    expect(report).toMatchObject({ node: 'node-z', role: 'unknown', healthy: false, epoch: 0 });
  });

  it('fences the dead primary and promotes the standby through signed actions, once per key', async () => {
    const fence = action('fence', 'node-a', 1);
    const fenced = await sendAction(a.url, fence.raw, { key: fence.key, master: SECRET });
    // The database is down: the fence is recorded and written where the server will read it.
    expect(fenced).toMatchObject({ kind: 'answer', status: 202 });
    expect(json(fenced)).toMatchObject({ ok: true, state: 'accepted', epoch: 1 });
    expect(JSON.stringify(json(fenced))).toContain('fence written to');
    expect(a.backend.state).toMatchObject({ epoch: 1, fenced: true });

    const promote = action('promote', 'node-b', 1);
    const first = await sendAction(b.url, promote.raw, { key: promote.key, master: SECRET });
    expect(first).toMatchObject({ kind: 'answer', status: 200 });
    expect(json(first)).toMatchObject({ ok: true, action: 'promote', state: 'completed', epoch: 1 });
    expect(await health(b.url)).toMatchObject({ role: 'primary', epoch: 1, healthy: true, fenced: false });
    await sql(cluster.standby, "INSERT INTO orders (note) VALUES ('written on the new primary')");

    const again = await sendAction(b.url, promote.raw, { key: promote.key, master: SECRET });
    expect(again).toMatchObject({ kind: 'answer', status: 200 });
    expect(again.kind === 'answer' && again.headers.get('idempotent-replayed')).toBe('true');
    expect(json(again)).toEqual(json(first));
    expect(b.logs.filter((l) => l.startsWith('promoted to primary')).length).toBe(1);

    const stale = action('fence', 'node-b', 1);
    const refused = await sendAction(b.url, stale.raw, { key: stale.key, master: SECRET });
    expect(refused).toMatchObject({ kind: 'answer', status: 409 });
    expect(json(refused)).toMatchObject({ error: { code: 'stale_epoch' } });
    expect(await health(b.url)).toMatchObject({ role: 'primary', epoch: 1, fenced: false });
  });

  it('keeps the epoch and the answered keys across an agent restart', async () => {
    await b.close();
    const reopened = await PgBackend.open({
      node: 'node-b',
      db: { host: cluster.standby.host, port: cluster.standby.port, user: 'postgres', dbname: 'postgres' },
      stateDir: b.stateDir,
      log: () => undefined,
    });
    expect(reopened.state.epoch).toBe(1);
    expect(await reopened.report()).toMatchObject({ role: 'primary', epoch: 1 });

    b = await startAgent('node-b', cluster.standby, b.stateDir);
    const promote = action('promote', 'node-b', 1);
    const retried = await sendAction(b.url, promote.raw, { key: promote.key, master: SECRET });
    expect(retried).toMatchObject({ kind: 'answer', status: 200 });
    expect(retried.kind === 'answer' && retried.headers.get('idempotent-replayed')).toBe('true');
  });

  it('the old primary comes back read-only and reports itself fenced', async () => {
    await cluster.restart('primary');
    // Before the agent has said a word to it: the fence was written into postgresql.auto.conf.
    await expect(sql(cluster.primary, "INSERT INTO orders (note) VALUES ('split brain')")).rejects.toThrow(
      'cannot execute INSERT in a read-only transaction',
    );
    const report = await until(
      'old primary answers',
      () => health(a.url),
      (r) => r.healthy,
    );
    expect(report).toMatchObject({ node: 'node-a', role: 'primary', epoch: 1, healthy: true, fenced: true });

    // Someone lifts the fence by hand; the agent puts it back.
    await sql(cluster.primary, 'ALTER SYSTEM RESET default_transaction_read_only');
    await sql(cluster.primary, 'SELECT pg_reload_conf()');
    // While the agent re-applies the fence it also ends client sessions, ours included: a write is
    // then either cut off or refused, until every new session starts read-only.
    const refusal = await until(
      'fence re-applied',
      () =>
        sql(cluster.primary, "INSERT INTO orders (note) VALUES ('split brain')").then(
          () => 'write accepted',
          (error: unknown) => (error instanceof Error ? error.message : String(error)),
        ),
      (message) => message.includes('read-only transaction'),
    );
    expect(refusal).toBe('cannot execute INSERT in a read-only transaction');

    // A promotion of the fenced former primary is refused: it must be rebuilt as a standby first.
    const promote = action('promote', 'node-a', 2);
    const refused = await sendAction(a.url, promote.raw, { key: promote.key, master: SECRET });
    expect(refused).toMatchObject({ kind: 'answer', status: 409 });
    expect(json(refused)).toMatchObject({ error: { code: 'node_fenced' } });
  });

  it('an agent started on a fenced node re-applies the fence', async () => {
    await a.close();
    // With the agent gone, the fence is lifted by hand.
    await sql(cluster.primary, 'ALTER SYSTEM RESET default_transaction_read_only');
    await sql(cluster.primary, 'SELECT pg_reload_conf()');
    await until(
      'fence lifted by hand',
      () => sql(cluster.primary, "SELECT current_setting('default_transaction_read_only') AS v"),
      (rows) => rows[0]?.v === 'off',
    );
    a = await startAgent('node-a', cluster.primary, a.stateDir);
    await expect(sql(cluster.primary, "INSERT INTO orders (note) VALUES ('split brain')")).rejects.toThrow(
      'cannot execute INSERT in a read-only transaction',
    );
    expect(await health(a.url)).toMatchObject({ fenced: true, epoch: 1 });
  });

  it('fencing a running primary ends its sessions and refuses writes', async () => {
    const session = new pg.Client({ host: cluster.standby.host, port: cluster.standby.port, user: 'postgres' });
    session.on('error', () => undefined);
    await session.connect();
    try {
      await session.query('BEGIN');
      await session.query("INSERT INTO orders (note) VALUES ('in flight')");
      const fence = action('fence', 'node-b', 2);
      const answer = await sendAction(b.url, fence.raw, { key: fence.key, master: SECRET });
      expect(answer).toMatchObject({ kind: 'answer', status: 200 });
      expect(json(answer)).toMatchObject({ state: 'completed', epoch: 2 });
      await expect(session.query('COMMIT')).rejects.toThrow();
    } finally {
      await session.end().catch(() => undefined);
    }
    await expect(sql(cluster.standby, "INSERT INTO orders (note) VALUES ('after the fence')")).rejects.toThrow(
      'cannot execute INSERT in a read-only transaction',
    );
    expect(await sql(cluster.standby, "SELECT count(*)::int AS n FROM orders WHERE note = 'in flight'")).toEqual([
      { n: 0 },
    ]);
    expect(await health(b.url)).toMatchObject({ role: 'primary', epoch: 2, fenced: true, healthy: true });
  });

  it('the CLI serves the report from a config file and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const config = join(scratch, 'agent.json');
    await writeFile(
      config,
      JSON.stringify({
        store: STORE,
        node: 'node-b',
        listen: { host: '127.0.0.1', port },
        stateDir: join(scratch, 'cli-state'),
        database: { host: cluster.standby.host, port: cluster.standby.port, user: 'postgres', dbname: 'postgres' },
      }),
    );
    const child = spawn(process.execPath, ['agent/main.ts', '--config', config], {
      env: { ...withoutMasters(), MIRRORWATCH_ACTION_KEY: await deriveKey(SECRET, STORE, 'node-b') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += String(d);
    });
    child.stderr.on('data', (d) => {
      output += String(d);
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const report = await until(
        'CLI agent listening',
        () => probe(`http://127.0.0.1:${port}/health`, {}, 2000),
        (p) => p.kind === 'answer',
      );
      expect(AgentReport.parse(json(report))).toMatchObject({ node: 'node-b', role: 'primary', healthy: true });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(output).toContain('SIGTERM: shutting down');
  });
});
