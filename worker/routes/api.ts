/** The authenticated API: viewers read, operators act, admins configure. */

import type { Context } from 'hono';
import { FleetConfig, ID_PATTERN } from '../../shared/schemas/config.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { requireRole } from '../http/auth.ts';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { ifNoneMatch } from '../http/etag.ts';
import { routeGroup } from '../http/route-group.ts';
import { monitorStub } from '../monitor/stub.ts';
import { renderMetrics } from '../views/prometheus.ts';
import { operatorFailover } from './failover.ts';

export const viewerRoutes = routeGroup({ kind: 'role', role: 'viewer' }, requireRole('viewer'));
export const operatorRoutes = routeGroup({ kind: 'role', role: 'operator' }, requireRole('operator'));
export const adminRoutes = routeGroup({ kind: 'role', role: 'admin' }, requireRole('admin'));

/** A configured store id from the path, or 404. */
async function knownStore(c: Context<AppEnv>): Promise<string> {
  const id = c.req.param('id') ?? '';
  if (!ID_PATTERN.test(id)) throw notFound(`no store "${id.slice(0, 64)}"`);
  const status = await fleetStub(c.env).getStatus(id);
  if (!status) throw notFound(`no store "${id}" in the fleet config`);
  return id;
}

function intParam(c: Context<AppEnv>, name: string, min: number, max: number): number | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiException(400, 'invalid_query', `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}

viewerRoutes.get('/api/v1/stores', async (c) => {
  const { body, etag } = await fleetStub(c.env).storeList(Date.now());
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  if (ifNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return c.body(body, 200, { 'Content-Type': 'application/json' });
});

viewerRoutes.get('/metrics', async (c) => {
  const text = renderMetrics(await fleetStub(c.env).listStatuses());
  return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
});

viewerRoutes.get('/api/v1/stream', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiException(426, 'upgrade_required', 'this route is a WebSocket: send Upgrade: websocket');
  }
  return fleetStub(c.env).fetch(c.req.raw);
});

viewerRoutes.get('/api/v1/stores/:id', async (c) => {
  const id = await knownStore(c);
  const live = await monitorStub(c.env, id).status();
  return c.json(live ?? (await fleetStub(c.env).getStatus(id)));
});

viewerRoutes.get('/api/v1/stores/:id/events', async (c) => {
  const id = await knownStore(c);
  const limit = intParam(c, 'limit', 1, 1000) ?? 100;
  const beforeRaw = c.req.query('before');
  const before = beforeRaw === undefined ? null : Date.parse(beforeRaw);
  if (before !== null && Number.isNaN(before)) {
    throw new ApiException(400, 'invalid_query', 'before must be an ISO-8601 time');
  }
  return c.json({ events: await monitorStub(c.env, id).events(limit, before) });
});

viewerRoutes.get('/api/v1/stores/:id/failovers', async (c) => {
  const id = await knownStore(c);
  const limit = intParam(c, 'limit', 1, 500) ?? 50;
  return c.json({ failovers: await monitorStub(c.env, id).failovers(limit) });
});

operatorRoutes.post('/api/v1/stores/:id/failover', operatorFailover);

adminRoutes.put('/api/v1/config', async (c) => {
  const config = await readJson(c, FleetConfig, 'invalid_config');
  const change = await fleetStub(c.env).putConfig(config);
  return c.json({ ok: true, ...change });
});

adminRoutes.get('/api/v1/config', async (c) => {
  const config = await fleetStub(c.env).getConfig();
  if (!config) throw new ApiException(404, 'no_config', 'no fleet config has been set yet (PUT /api/v1/config)');
  return c.json(config);
});
