/**
 * The HTTP face of one store agent: `GET /health` answers the backend's report, `POST /actions`
 * runs `handleAction` (signature, recipient, idempotency, epoch) against it, and `GET /local/primary`
 * tells a primary-only job on this host whether to run (loopback or this host's own address only). Handlers throw
 * HttpError; the one catch turns any failure into a JSON error and a log line, never a crash.
 * A report that does not match the contract is a bug here, answered 500 rather than sent.
 * With `leases`, a probe's lease headers are taken before the report is made (contract section 6).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { primaryGate } from '#shared/primary-gate.ts';
import { issueDetails } from '#shared/schemas/issues.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { handleAction } from './actions.ts';
import type { Backend } from './backend.ts';
import { answerFailure, HttpError, headerValue, listen, readBody, sendJson } from './http-json.ts';
import type { LeaseIntake } from './lease/lease-intake.ts';
import type { DurableLedger } from './ledger-file.ts';

export interface AgentServerOptions {
  backend: Backend;
  store: string;
  node: string;
  /** Null for an arbiter: it takes no actions. `keys`: this node's action key(s), from `npm run keys`. */
  actions: { keys: readonly string[]; ledger: DurableLedger } | null;
  /** Leases from probes (database nodes whose agent self-fences); absent: lease headers are not read. */
  leases?: LeaseIntake | null;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export interface AgentServer {
  /** `http://host:port`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

type Ctx = Required<Pick<AgentServerOptions, 'log' | 'now'>> & AgentServerOptions;

async function checkedReport(ctx: Ctx) {
  const made = await ctx.backend.report();
  const report = ctx.leases ? ctx.leases.decorate(made) : made;
  const checked = AgentReport.safeParse(report);
  if (!checked.success) {
    const problem = issueDetails(checked.error)
      .map((d) => `${d.path}: ${d.message}`)
      .join('; ');
    throw new Error(`the backend produced an invalid report (${problem}): ${JSON.stringify(report)}`);
  }
  return checked.data;
}

async function health(ctx: Ctx, req: IncomingMessage, res: ServerResponse, head: boolean): Promise<void> {
  const leases = ctx.leases ?? null;
  if (leases) await leases.fromProbe((name) => headerValue(req, name), `probe from ${req.socket.remoteAddress ?? '?'}`);
  const report = await checkedReport(ctx);
  if (head) {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end();
    return;
  }
  sendJson(res, 200, report);
}

async function actions(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!ctx.actions) throw new HttpError(404, 'not_found', 'the arbiter takes no actions');
  const { keys, ledger } = ctx.actions;
  const rawBody = await readBody(req);
  const verdict = await handleAction(
    { rawBody, header: (name) => headerValue(req, name) },
    {
      keys,
      recipient: { store: ctx.store, node: ctx.node },
      backend: ctx.backend,
      ledger: ledger.ledger,
      nowMs: ctx.now(),
      log: ctx.log,
    },
  );
  const what = verdict.action ? `${verdict.action.action} epoch=${verdict.action.epoch}` : 'action';
  const from = req.socket.remoteAddress ?? '?';
  ctx.log(`${what} from ${from} -> ${verdict.status} ${verdict.code}: ${verdict.message}`);
  sendJson(res, verdict.status, verdict.body, verdict.replayed ? { 'idempotent-replayed': 'true' } : {});
}

/**
 * From this host only: a loopback address, or the address the request came in on (a job that
 * reaches the agent on its LAN address from the same machine). Another host cannot complete a TCP
 * handshake from this host's own address, so the answer never leaves the machine.
 */
export function fromThisHost(socket: { remoteAddress?: string; localAddress?: string }): boolean {
  const remote = socket.remoteAddress ?? '';
  const plain = remote.startsWith('::ffff:') ? remote.slice(7) : remote;
  return plain === '::1' || plain.startsWith('127.') || (remote !== '' && remote === socket.localAddress);
}

async function localPrimary(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!fromThisHost(req.socket))
    throw new HttpError(403, 'local_only', 'GET /local/primary answers only jobs on this host (loopback)');
  sendJson(res, 200, primaryGate(ctx.store, await checkedReport(ctx)));
}

async function dispatch(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://agent.invalid');
  const method = req.method ?? 'GET';
  if (pathname === '/health') {
    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', `${method} /health`);
    await health(ctx, req, res, method === 'HEAD');
    return;
  }
  if (pathname === '/local/primary') {
    if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', `${method} /local/primary`);
    await localPrimary(ctx, req, res);
    return;
  }
  if (pathname === '/actions') {
    if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${method} /actions`);
    await actions(ctx, req, res);
    return;
  }
  throw new HttpError(404, 'not_found', `no route ${method} ${pathname}`);
}

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  if (options.actions) {
    const { keys } = options.actions;
    if (keys.length === 0 || keys.some((k) => k === '')) throw new Error('an action key is required');
  }
  const ctx: Ctx = {
    ...options,
    log: options.log ?? ((line) => console.log(`[agent ${options.node}] ${line}`)),
    now: options.now ?? Date.now,
  };
  const server = createServer((req, res) => {
    dispatch(ctx, req, res).catch((error: unknown) => answerFailure(req, res, error, ctx.log, 'the agent failed'));
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port ?? 0, 'the agent');
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}
