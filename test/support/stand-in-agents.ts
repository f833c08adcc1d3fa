/**
 * Stand-in agents for the Workers tests: one loopback HTTP server whose `/agents/<name>/health`
 * answers as told through `PUT /control/<name>` (a report, a 500, garbage, an invalid report, or a
 * hang, or a report held until released) and records the actions POSTed to it (`GET /control/<name>/actions`)
 * and the headers of every health request (`GET /control/<name>/probes`), plus a port that refuses
 * connections and an open TCP port for database checks.
 * Runs in Node (vitest globalSetup); the Workers tests reach it over 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';

export type Behaviour =
  /** `actionStatus`: the status its actions are answered with (default 202). */
  | { mode: 'report'; report: unknown; actionStatus?: number }
  | { mode: 'http500' }
  | { mode: 'garbage' }
  /** `actionStatus`: its actions are answered with this status too (a cut-off node: 503). */
  | { mode: 'hang'; actionStatus?: number }
  /** Answers `report` only once `POST /control/<name>/release` is called (holds a round open). */
  | { mode: 'held'; report: unknown }
  /** A receiver (alerts, dead-man pings) answering its POSTs with this status; still recorded. */
  | { mode: 'refuse-posts'; status: number };

/** An action POSTed to a stand-in, as received (headers lower-cased). */
export interface RecordedPost {
  headers: Record<string, string>;
  body: string;
}

export interface StandIns {
  baseUrl: string;
  refusedUrl: string;
  tcpOpen: string;
  tcpRefused: string;
  close(): Promise<void>;
}

function listen(server: Server | TcpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address && typeof address === 'object') resolve(address.port);
      else reject(new Error('stand-in server has no port'));
    });
  });
}

async function freeClosedPort(): Promise<number> {
  const probe = createTcpServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

export async function startStandIns(): Promise<StandIns> {
  const behaviours = new Map<string, Behaviour>();
  const received = new Map<string, RecordedPost[]>();
  const probes = new Map<string, Array<Record<string, string>>>();
  const hanging = new Set<ServerResponse>();
  const held = new Map<string, Array<() => void>>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const control = /^\/control\/([\w.-]+)$/.exec(url.pathname);
    if (control?.[1] && req.method === 'PUT') {
      behaviours.set(control[1], JSON.parse(await readBody(req)) as Behaviour);
      res.writeHead(204).end();
      return;
    }
    const release = /^\/control\/([\w.-]+)\/release$/.exec(url.pathname);
    if (release?.[1] && req.method === 'POST') {
      const waiting = held.get(release[1]) ?? [];
      held.delete(release[1]);
      for (const answer of waiting) answer();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ released: waiting.length }));
      return;
    }
    const heldCount = /^\/control\/([\w.-]+)\/held$/.exec(url.pathname);
    if (heldCount?.[1] && req.method === 'GET') {
      const count = held.get(heldCount[1])?.length ?? 0;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ held: count }));
      return;
    }
    const recorded = /^\/control\/([\w.-]+)\/actions$/.exec(url.pathname);
    if (recorded?.[1] && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received.get(recorded[1]) ?? []));
      return;
    }
    const probed = /^\/control\/([\w.-]+)\/probes$/.exec(url.pathname);
    if (probed?.[1] && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(probes.get(probed[1]) ?? []));
      return;
    }
    const action = /^\/agents\/([\w.-]+)\/actions$/.exec(url.pathname);
    if (action?.[1] && req.method === 'POST') {
      const list = received.get(action[1]) ?? [];
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      list.push({ headers, body: await readBody(req) });
      received.set(action[1], list);
      const refusing = behaviours.get(action[1]);
      if (refusing?.mode === 'refuse-posts') {
        res.writeHead(refusing.status, { 'content-type': 'text/plain' }).end('refused as told');
        return;
      }
      const told = refusing?.mode === 'report' || refusing?.mode === 'hang' ? refusing.actionStatus : undefined;
      if (told !== undefined && told !== 202) {
        res.writeHead(told, { 'content-type': 'text/plain' }).end('answered as told');
        return;
      }
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"state":"accepted"}');
      return;
    }
    const health = /^\/agents\/([\w.-]+)\/health$/.exec(url.pathname);
    if (health?.[1]) {
      const list = probes.get(health[1]) ?? [];
      list.push(Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])));
      probes.set(health[1], list);
    }
    const behaviour = health?.[1] ? behaviours.get(health[1]) : undefined;
    if (!behaviour) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such stand-in');
      return;
    }
    switch (behaviour.mode) {
      case 'report':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.report));
        return;
      case 'http500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('database exploded');
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"node": "x", oops');
        return;
      case 'held': {
        const name = health?.[1] ?? '';
        const waiting = held.get(name) ?? [];
        waiting.push(() =>
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(behaviour.report)),
        );
        held.set(name, waiting);
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      case 'refuse-posts':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('a receiver, not an agent');
        return;
    }
  });
  const tcp = createTcpServer((socket) => socket.end());
  const [port, tcpPort, closedPort] = await Promise.all([listen(server), listen(tcp), freeClosedPort()]);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    refusedUrl: `http://127.0.0.1:${closedPort}`,
    tcpOpen: `127.0.0.1:${tcpPort}`,
    tcpRefused: `127.0.0.1:${closedPort}`,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => tcp.close(() => resolve())),
      ]);
    },
  };
}
