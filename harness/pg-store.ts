/**
 * A whole store on loopback with real parts: a PostgreSQL streaming pair, the PostgreSQL agent on
 * each node, an arbiter agent, and the edge's way in through gates that a test can cut (the WAN
 * link) while the pair keeps replicating. The active endpoint follows the primary the way a floating
 * IP does. A writer commits rows through the active database and remembers every acknowledged one.
 * Used by the end-to-end test and by `npm run bench`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { arbiterBackend } from '#agent/arbiter-backend.ts';
import type { SelfFenceKeeper } from '#agent/lease/self-fence-keeper.ts';
import { DurableLedger } from '#agent/ledger-file.ts';
import { PgBackend } from '#agent/pg/backend.ts';
import { startPgSelfFence } from '#agent/pg/self-fence-host.ts';
import { type AgentServer, startAgentServer } from '#agent/server.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { type PgCluster, type PgNode, startPgCluster } from './pg-cluster.ts';

export interface PgAgent {
  id: string;
  node: PgNode;
  server: AgentServer;
  close(): Promise<void>;
}

export async function startPgAgent(options: {
  id: string;
  store: string;
  node: PgNode;
  stateDir: string;
  /** This node's own action key(s), `key(WEBHOOK_SECRET, store, node)`: never the master. */
  actionKeys: string[];
  log: (line: string) => void;
  /** Self-fencing (contract section 6) as the CLI agent runs it; off when absent. */
  selfFence?: { leaseSeconds: number; pollMs: number } | undefined;
}): Promise<PgAgent> {
  let keeper: SelfFenceKeeper | null = null;
  const db = { host: options.node.host, port: options.node.port, user: 'postgres', dbname: 'postgres' };
  const backend = await PgBackend.open({
    onPromoted: (epoch) => keeper?.notePromoted(epoch),
    node: options.id,
    db,
    stateDir: options.stateDir,
    timeoutMs: 1000,
    reconcileIntervalMs: 250,
    resources: null,
    log: options.log,
  });
  await backend.start();
  const fencing = options.selfFence
    ? startPgSelfFence({
        backend,
        db,
        timeoutMs: 1000,
        settings: { enabled: true, ...options.selfFence },
        keys: options.actionKeys,
        store: options.store,
        node: options.id,
        log: options.log,
      })
    : null;
  keeper = fencing?.keeper ?? null;
  const server = await startAgentServer({
    leases: fencing?.leases ?? null,
    backend,
    store: options.store,
    node: options.id,
    actions: { keys: options.actionKeys, ledger: await DurableLedger.open(options.stateDir) },
    log: options.log,
  });
  return {
    id: options.id,
    node: options.node,
    server,
    close: async () => {
      backend.stop();
      await fencing?.keeper.stop();
      await server.close();
    },
  };
}

/** An HTTP gate in front of a target chosen per request; while cut it resets every connection. */
interface Gate {
  url: string;
  close(): Promise<void>;
}

async function startGate(target: () => Promise<string | null>, isCut: () => boolean): Promise<Gate> {
  const sockets = new Set<Socket>();
  const server: Server = createServer(async (req, res) => {
    if (isCut()) {
      req.socket.destroy();
      return;
    }
    const base = await target();
    if (!base) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    try {
      // Inside the try: a caller that gives up mid-request (a probe's timeout) aborts the read.
      for await (const chunk of req) chunks.push(Buffer.from(chunk));
      const headers = Object.fromEntries(
        Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' && k !== 'host' ? [[k, v]] : [])),
      );
      const answer = await fetch(`${base}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        signal: AbortSignal.timeout(5000),
      });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      req.socket.destroy();
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address !== 'object') throw new Error('gate has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

async function report(url: string): Promise<AgentReport | null> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1500) });
    return res.ok ? AgentReport.parse(await res.json()) : null;
  } catch {
    return null;
  }
}

export async function sql(node: PgNode, text: string, values: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({
    host: node.host,
    port: node.port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 1000,
    query_timeout: 2000,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Commits one row at a time to whichever node the active IP points at, and remembers the ids whose
 * commit was acknowledged, with the time of the acknowledgement.
 */
export class Writer {
  /** Every acknowledged commit: its id, when, and the port of the server that acknowledged it. */
  readonly acked: Array<{ id: number; at: number; port: number }> = [];
  /** Every commit that failed (refused, or the server not reached): when, and the port tried. */
  readonly failed: Array<{ at: number; port: number | null }> = [];
  failures = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  private readonly primary: () => Promise<PgNode | null>;

  constructor(primary: () => Promise<PgNode | null>) {
    this.primary = primary;
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const node = await this.primary();
        try {
          if (!node) throw new Error('no primary');
          const rows = await sql(node, 'INSERT INTO orders (note) VALUES ($1) RETURNING id', ['order']);
          this.acked.push({ id: Number(rows[0]?.id), at: Date.now(), port: node.port });
        } catch {
          this.failures += 1;
          this.failed.push({ at: Date.now(), port: node?.port ?? null });
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Commits acknowledged by the server on `port` (the new primary, after a failover). */
  ackedBy(port: number): Array<{ id: number; at: number; port: number }> {
    return this.acked.filter((a) => a.port === port);
  }
}

export interface PgStore {
  id: string;
  cluster: PgCluster;
  agents: { a: PgAgent; b: PgAgent };
  /** The store's entry in a fleet config: every URL goes through the cuttable gates. */
  config: Record<string, unknown>;
  writer: Writer;
  /** The node the active IP (and the writer) points at: the healthy, unfenced primary. */
  activeNode(): Promise<PgNode | null>;
  cutWan(cut: boolean): void;
  /**
   * Cuts node a off from the edge (its own address and the active IP while it is on a), from the
   * arbiter and from its standby (replication black-holed: needs `replicationGate`), while clients
   * inside the store still reach its database: the partition of contract section 6.
   */
  isolateA(cut: boolean): void;
  /** The report node a's agent gives to a client inside the store (not through any gate). */
  reportOfA(): Promise<AgentReport | null>;
  logs: string[];
  close(): Promise<void>;
}

export interface PgStoreOptions {
  id: string;
  synchronous: boolean;
  /**
   * Each node's action keys, as `npm run keys -- <store> <node>` hands them out: the caller holds the
   * worker's master and derives them (shared/keys.ts); an agent is given only its own.
   */
  actionKeysFor(node: string): Promise<string[]>;
  /** Self-fencing on both nodes' agents (contract section 6); off when absent. */
  selfFence?: { leaseSeconds: number; pollMs: number };
  /** Replication through a gate `isolateA` can black-hole. */
  replicationGate?: boolean;
}

export async function startPgStore(options: PgStoreOptions) {
  const scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-store-'));
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const cluster = await startPgCluster({
    synchronous: options.synchronous,
    ...(options.replicationGate ? { replicationGate: true } : {}),
  });
  await sql(cluster.primary, 'CREATE TABLE orders (id bigserial PRIMARY KEY, note text NOT NULL)');
  const id = options.id;
  const start = async (node: 'a' | 'b', pgNode: PgNode) =>
    startPgAgent({
      id: `${id}-${node}`,
      store: id,
      node: pgNode,
      stateDir: join(scratch, node),
      actionKeys: await options.actionKeysFor(`${id}-${node}`),
      log,
      selfFence: options.selfFence,
    });
  const agents = { a: await start('a', cluster.primary), b: await start('b', cluster.standby) };
  let isolated = false;
  const never = () => false;
  // The arbiter reaches node a through a gate of its own, so that `isolateA` can cut it too.
  const arbiterToA = await startGate(async () => (isolated ? null : agents.a.server.url), never);
  const arbiterBe = arbiterBackend({
    name: `${id}-arb`,
    nodes: [
      { id: agents.a.id, url: arbiterToA.url },
      { id: agents.b.id, url: agents.b.server.url },
    ],
    timeoutMs: 800,
    resources: null,
    log,
  });
  const arbiter = await startAgentServer({ backend: arbiterBe, store: id, node: `${id}-arb`, actions: null, log });

  const activeAgent = async (): Promise<PgAgent | null> => {
    for (const agent of [agents.a, agents.b]) {
      const r = await report(agent.server.url);
      if (r?.role === 'primary' && r.healthy && !r.fenced) return agent;
    }
    return null;
  };
  let cut = false;
  const isCut = () => cut;
  const gates = {
    a: await startGate(async () => (isolated ? null : agents.a.server.url), isCut),
    b: await startGate(async () => agents.b.server.url, isCut),
    arb: await startGate(async () => arbiter.url, isCut),
    vip: await startGate(async () => {
      const active = await activeAgent();
      // The active IP lives on the primary: cut off with it while a holds it.
      return isolated && active === agents.a ? null : (active?.server.url ?? null);
    }, isCut),
    arbiterToA,
  };
  const writer = new Writer(async () => (await activeAgent())?.node ?? null);
  const store: PgStore = {
    id,
    cluster,
    agents,
    writer,
    logs,
    config: {
      id,
      name: 'PostgreSQL end-to-end store',
      region: 'Loopback',
      activeEndpoint: gates.vip.url,
      arbiter: { url: gates.arb.url },
      nodes: [
        { id: agents.a.id, url: gates.a.url, priority: 100 },
        { id: agents.b.id, url: gates.b.url, priority: 50 },
      ],
    },
    activeNode: async () => (await activeAgent())?.node ?? null,
    cutWan: (value) => {
      cut = value;
    },
    isolateA: (value) => {
      isolated = value;
      cluster.cutReplication(value);
    },
    reportOfA: () => report(agents.a.server.url),
    close: async () => {
      await writer.stop();
      for (const gate of Object.values(gates)) await gate.close();
      await arbiter.close();
      await agents.a.close();
      await agents.b.close();
      await cluster.cleanup();
      await rm(scratch, { recursive: true, force: true });
    },
  };
  return store;
}
