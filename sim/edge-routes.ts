/**
 * The store endpoints the edge monitor probes: `/stores/:store/nodes/:node/{health,actions}`,
 * `/stores/:store/arbiter/health` and `/stores/:store/active/{health,actions}`. They behave as the
 * network would: a WAN cut hangs or resets every endpoint of the store, a down node resets its
 * connections, an isolated node is cut off like a WAN (its clients inside the store still reach it,
 * which the edge cannot see), and the active endpoint answers as whichever node holds the active IP.
 * A node's health probe may carry a lease (contract section 6): verified with the node's own key as
 * the real agent does, and kept by the model (sim/store-model.ts `selfFenceStep`).
 *
 * `/stores/:store/nodes/:node/local/primary` is what a primary-only job on that node asks its own
 * agent (docs/PROTOCOL.md section 7): on the node's own host, so a WAN cut does not touch it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAction } from '#agent/actions.ts';
import { HttpError, headerValue, readBody, sendJson } from '#agent/http-json.ts';
import { leaseFromHeaders } from '#agent/lease/lease-header.ts';
import { primaryGate } from '#shared/primary-gate.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import type { SimContext } from './context.ts';
import type { RecordedAction } from './control-schema.ts';
import { requireNodeOf } from './fleet-sim.ts';
import type { Responding, SimNode, SimStore } from './model.ts';
import { simBackend } from './sim-backend.ts';
import { arbiterReport, nodeReport } from './sim-reports.ts';
import { activeHolder, isDown } from './store-model.ts';

export interface EdgeRoute {
  store: string;
  endpoint: 'node' | 'arbiter' | 'active';
  /** The node id in the path (node endpoints only). */
  node: string | null;
  leaf: 'health' | 'actions' | 'local';
}

const EDGE_PATH = /^\/stores\/([^/]+)\/(?:nodes\/([^/]+)|(arbiter)|(active))\/(health|actions|local\/primary)\/?$/;

export function matchEdgeRoute(pathname: string): EdgeRoute | null {
  const m = EDGE_PATH.exec(pathname);
  if (!m?.[1] || !m[5]) return null;
  const endpoint = m[2] ? 'node' : m[3] ? 'arbiter' : 'active';
  const leaf = m[5] === 'health' ? 'health' : m[5] === 'actions' ? 'actions' : 'local';
  if (leaf === 'local' && endpoint !== 'node') return null;
  return { store: m[1], endpoint, node: m[2] ?? null, leaf };
}

/** Who answers on this path right now. */
type Answerer =
  | { kind: 'node'; node: SimNode; down: boolean; responding: Responding }
  | { kind: 'arbiter'; down: boolean; responding: Responding }
  | { kind: 'none' };

/** `store` is settled at `now` already: one lookup per request, the hot path of 1,000-store runs. */
function answerer(store: SimStore, route: EdgeRoute, now: number): Answerer {
  if (route.endpoint === 'node') {
    const node = requireNodeOf(store, route.node ?? '');
    return { kind: 'node', node, down: isDown(node, now), responding: node.responding };
  }
  if (route.endpoint === 'arbiter') {
    if (!store.arbiter) throw new HttpError(404, 'unknown_node', `store ${route.store} has no arbiter`);
    return { kind: 'arbiter', down: store.arbiter.crashed, responding: store.arbiter.responding };
  }
  const holder = activeHolder(store, now);
  return holder ? { kind: 'node', node: holder, down: false, responding: holder.responding } : { kind: 'none' };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Mimics a host that is gone: TCP reset, so the client sees ECONNRESET at once. */
function resetConnection(req: IncomingMessage): void {
  req.socket.resetAndDestroy();
}

function healthBody(store: SimStore, who: Answerer, now: number): AgentReport {
  const report = who.kind === 'node' ? nodeReport(store, who.node, now) : arbiterReport(store, now);
  if (!report) throw new HttpError(404, 'unknown_node', `store ${store.spec.id} has no arbiter`);
  return report;
}

/** A job on the node's own host asking its agent: down is down, a WAN cut is not in the way. */
function handleLocal(ctx: SimContext, req: IncomingMessage, res: ServerResponse, route: EdgeRoute): void {
  if (req.method !== 'GET')
    throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on local/primary`);
  const now = ctx.sim.now();
  const store = ctx.sim.requireStore(route.store);
  const who = answerer(store, route, now);
  if (who.kind !== 'node' || who.down) {
    resetConnection(req);
    return;
  }
  sendJson(res, 200, primaryGate(route.store, healthBody(store, who, now)));
}

async function takeLease(ctx: SimContext, req: IncomingMessage, storeId: string, nodeId: string): Promise<void> {
  const reading = await leaseFromHeaders((name) => headerValue(req, name), {
    keys: await ctx.nodeKeys(storeId, nodeId),
    store: storeId,
    node: nodeId,
    nowMs: ctx.wallNow(),
  });
  if (reading.kind === 'rejected') ctx.log(`${storeId}/${nodeId}: ${reading.reason}`);
  if (reading.kind === 'lease') ctx.sim.takeLease(storeId, nodeId, reading.lease);
}

export async function handleEdge(ctx: SimContext, req: IncomingMessage, res: ServerResponse, route: EdgeRoute) {
  if (route.leaf === 'local') {
    handleLocal(ctx, req, res, route);
    return;
  }
  const isAction = route.leaf === 'actions';
  const method = req.method ?? 'GET';
  if (isAction && route.endpoint === 'arbiter') throw new HttpError(404, 'not_found', 'the arbiter takes no actions');
  if (isAction ? method !== 'POST' : method !== 'GET' && method !== 'HEAD') {
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${route.leaf}`);
  }
  const rawBody = isAction ? await readBody(req) : '';
  const now = ctx.sim.now();
  const store = ctx.sim.requireStore(route.store);
  const who = answerer(store, route, now);
  const where = `${route.store}/${route.endpoint === 'node' ? route.node : route.endpoint}`;
  const nodeId = who.kind === 'node' ? who.node.id : null;

  const record = (verdict: RecordedAction['verdict']) => {
    if (!isAction) return;
    const entry = ctx.actions.record(
      {
        store: route.store,
        endpoint: route.endpoint === 'active' ? 'active' : 'node',
        node: nodeId,
        method,
        path: req.url ?? '',
        headers: flatHeaders(req),
        body: rawBody,
        verdict,
      },
      ctx.wallNow(),
    );
    const status = verdict.status ?? 'no answer';
    ctx.log(`action ${entry.action ?? '?'} epoch=${entry.epoch ?? '?'} at ${where} -> ${status} ${verdict.code}`);
  };
  const dropped = (code: string, message: string) =>
    record({ status: null, code, message, signatureValid: null, applied: false, replayed: false });

  if (store.wanCut) {
    dropped('wan_cut', `the WAN of ${route.store} is cut (${store.wanCut})`);
    if (store.wanCut === 'reset') resetConnection(req);
    // 'hang': never answer; the client's timeout ends it, or server.close() does.
    return;
  }
  if (who.kind === 'node' && who.node.isolated) {
    dropped('isolated', `${where} is cut off from the edge`);
    if (ctx.sim.wanCutMode === 'reset') resetConnection(req);
    return;
  }
  if (who.kind === 'none' || who.down) {
    dropped('down', who.kind === 'none' ? 'no node holds the active IP' : `${where} is down`);
    resetConnection(req);
    return;
  }
  if (who.responding === 'http500') {
    const message = `${where} is failing (simulated)`;
    record({ status: 500, code: 'http500', message, signatureValid: null, applied: false, replayed: false });
    sendJson(res, 500, { error: { code: 'simulated_failure', message } });
    return;
  }
  if (who.responding === 'garbage') {
    record({
      status: 200,
      code: 'garbage',
      message: 'answered invalid JSON',
      signatureValid: null,
      applied: false,
      replayed: false,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"node": "${nodeId ?? 'arbiter'}", "role": "prim`);
    return;
  }
  if (!isAction) {
    if (who.kind === 'node' && route.endpoint === 'node') await takeLease(ctx, req, route.store, who.node.id);
    sendJson(res, 200, healthBody(store, who, ctx.sim.now()));
    return;
  }
  if (who.kind !== 'node') throw new HttpError(404, 'not_found', 'no node answers here');
  const verdict = await handleAction(
    { rawBody, header: (name) => headerValue(req, name) },
    {
      keys: await ctx.nodeKeys(route.store, who.node.id),
      recipient: { store: route.store, node: who.node.id },
      backend: simBackend(ctx.sim, route.store, who.node.id),
      ledger: who.node.ledger,
      nowMs: ctx.wallNow(),
    },
  );
  record({
    status: verdict.status,
    code: verdict.code,
    message: verdict.message,
    signatureValid: verdict.signatureValid,
    applied: verdict.applied,
    replayed: verdict.replayed,
  });
  sendJson(res, verdict.status, verdict.body, verdict.replayed ? { 'idempotent-replayed': 'true' } : {});
}
