/**
 * The simulator's control API, for tests and demos; never part of what the edge monitor sees.
 * Every route needs `Authorization: Bearer <control token>`, compared in constant time.
 *
 *   GET    /control/state                  → { stores: [SimStoreState] }
 *   GET    /control/stores/:id             → { store: SimStoreState }
 *   POST   /control/stores/:id/faults      → { store }  body: FaultRequest, e.g. {"fault":"crash","node":"…"}
 *   GET    /control/actions?store=&node=&action=  → { actions: [RecordedAction] }
 *   DELETE /control/actions                → { cleared: n }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, headerValue, parseJson, readBody, sendJson } from '#agent/http-json.ts';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { issueDetails } from '#shared/schemas/issues.ts';
import type { ActionFilter } from './action-log.ts';
import type { SimContext } from './context.ts';
import { FaultRequest } from './control-schema.ts';

function authorize(ctx: SimContext, req: IncomingMessage): void {
  const header = headerValue(req, 'authorization') ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  if (!timingSafeEqual(token, ctx.controlToken)) {
    throw new HttpError(401, 'unauthorized', 'the control API needs Authorization: Bearer <control token>');
  }
}

async function readFault(req: IncomingMessage): Promise<FaultRequest> {
  const parsed = FaultRequest.safeParse(parseJson(await readBody(req)));
  if (parsed.success) return parsed.data;
  const details = issueDetails(parsed.error).map((d) => `${d.path}: ${d.message}`);
  throw new HttpError(400, 'invalid_fault', `invalid fault request: ${details.join('; ')}`);
}

function filterFrom(url: URL): ActionFilter {
  const filter: ActionFilter = {};
  for (const key of ['store', 'node', 'action'] as const) {
    const value = url.searchParams.get(key);
    if (value !== null) filter[key] = value;
  }
  return filter;
}

export async function handleControl(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  authorize(ctx, req);
  const method = req.method ?? 'GET';
  const path = url.pathname.replace(/\/+$/, '');
  const storePath = /^\/control\/stores\/([^/]+)(\/faults)?$/.exec(path);

  if (path === '/control/state' && method === 'GET') {
    const only = url.searchParams.get('store');
    sendJson(res, 200, { stores: only === null ? ctx.sim.states() : [ctx.sim.state(only)] });
  } else if (storePath?.[1] && !storePath[2] && method === 'GET') {
    sendJson(res, 200, { store: ctx.sim.state(storePath[1]) });
  } else if (storePath?.[1] && storePath[2] && method === 'POST') {
    const fault = await readFault(req);
    sendJson(res, 200, { store: ctx.sim.inject(storePath[1], fault) });
  } else if (path === '/control/actions' && method === 'GET') {
    sendJson(res, 200, { actions: ctx.actions.list(filterFrom(url)) });
  } else if (path === '/control/actions' && method === 'DELETE') {
    sendJson(res, 200, { cleared: ctx.actions.clear() });
  } else {
    throw new HttpError(404, 'not_found', `no control route ${method} ${path}`);
  }
}
