/** The authenticated API: viewers read, operators act, admins configure. */

import type { Context } from 'hono';
import { FleetConfig, ID_PATTERN, secretReferences } from '#shared/schemas/config.ts';
import { MaintenanceRequest } from '#shared/schemas/duties-api.ts';
import { formatPath } from '#shared/schemas/issues.ts';
import { EVENT_TYPES } from '#shared/schemas/status.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { requireRole } from '../http/auth.ts';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { hasSecret } from '../http/env-secrets.ts';
import { ifNoneMatch } from '../http/etag.ts';
import { routeGroup } from '../http/route-group.ts';
import { monitorStub } from '../monitor/stub.ts';
import { renderMetrics } from '../views/prometheus.ts';
import { operatorFailover } from './failover.ts';
import { maintenanceJson, windowJson } from './maintenance-json.ts';

export const viewerRoutes = routeGroup({ kind: 'role', role: 'viewer' }, requireRole('viewer'));
export const operatorRoutes = routeGroup({ kind: 'role', role: 'operator' }, requireRole('operator'));
export const adminRoutes = routeGroup({ kind: 'role', role: 'admin' }, requireRole('admin'));

/** A configured store id from the path, or 404. */
async function knownStore(c: Context<AppEnv>): Promise<string> {
  const id = c.req.param('id') ?? '';
  if (!ID_PATTERN.test(id)) throw notFound(`no store "${id.slice(0, 64)}"`);
  if (!(await fleetStub(c.env).hasStore(id))) throw notFound(`no store "${id}" in the fleet config`);
  return id;
}

function timeParam(c: Context<AppEnv>, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new ApiException(400, 'invalid_query', `${name} must be an ISO-8601 time`);
  return t;
}

/** A comma-separated list of allowed words (`?type=alert,status`), or null when absent. */
function listParam(c: Context<AppEnv>, name: string, allowed: readonly string[]): string[] | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const items = raw.split(',').map((t) => t.trim());
  const bad = items.filter((t) => !allowed.includes(t));
  if (bad.length > 0 || items.length === 0)
    throw new ApiException(400, 'invalid_query', `${name} must be a comma-separated list of: ${allowed.join(', ')}`);
  return items;
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
  const types = listParam(c, 'type', EVENT_TYPES);
  const until = timeParam(c, 'until') ?? timeParam(c, 'before');
  const page = await monitorStub(c.env, id).events({
    limit: intParam(c, 'limit', 1, 1000) ?? 100,
    types,
    since: timeParam(c, 'since'),
    until,
    cursor: intParam(c, 'cursor', 1, Number.MAX_SAFE_INTEGER),
  });
  return c.json({ events: page.events, next: page.next === null ? null : String(page.next) });
});

viewerRoutes.get('/api/v1/stores/:id/alerts', async (c) => {
  const id = await knownStore(c);
  return c.json({ alerts: await monitorStub(c.env, id).openAlerts() });
});

viewerRoutes.get('/api/v1/stores/:id/jobs', async (c) => {
  const id = await knownStore(c);
  return c.json({ jobs: await monitorStub(c.env, id).jobs() });
});

viewerRoutes.get('/api/v1/stores/:id/jobs/:jobId/runs', async (c) => {
  const id = await knownStore(c);
  const jobId = c.req.param('jobId') ?? '';
  const monitor = monitorStub(c.env, id);
  if (!(await monitor.jobs()).some((j) => j.id === jobId))
    throw notFound(`no job "${jobId.slice(0, 64)}" in store "${id}"`);
  const until = timeParam(c, 'before');
  return c.json({ runs: await monitor.jobRuns(jobId, intParam(c, 'limit', 1, 1000) ?? 100, until) });
});

viewerRoutes.get('/api/v1/stores/:id/maintenance', async (c) => {
  const id = await knownStore(c);
  const view = await monitorStub(c.env, id).maintenance();
  return c.json(maintenanceJson(view));
});

operatorRoutes.post('/api/v1/stores/:id/maintenance', async (c) => {
  const id = await knownStore(c);
  const body = await readJson(c, MaintenanceRequest, 'invalid_maintenance');
  const now = Date.now();
  const start = body.start ? Date.parse(body.start) : now;
  const end = body.until ? Date.parse(body.until) : start + (body.minutes ?? 0) * 60_000;
  if (end <= Math.max(start, now))
    throw new ApiException(422, 'invalid_maintenance', 'the window must end after its start and in the future');
  const window = await monitorStub(c.env, id).startMaintenance({
    reason: body.reason,
    start: body.start ? start : null,
    end,
    by: c.get('principal'),
  });
  if (!window) throw notFound(`store "${id}" is not monitored yet`);
  return c.json({ window: windowJson(window) }, 201);
});

operatorRoutes.delete('/api/v1/stores/:id/maintenance', async (c) => {
  const id = await knownStore(c);
  const windowId = c.req.query('id') ?? null;
  const ended = await monitorStub(c.env, id).endMaintenance(windowId, c.get('principal'));
  if (!ended)
    throw notFound(
      windowId
        ? `no open maintenance window "${windowId.slice(0, 64)}"`
        : 'no maintenance window opened through the API is open',
    );
  return c.json({ ended: true });
});

viewerRoutes.get('/api/v1/stores/:id/failovers', async (c) => {
  const id = await knownStore(c);
  const limit = intParam(c, 'limit', 1, 500) ?? 50;
  return c.json({ failovers: await monitorStub(c.env, id).failovers(limit) });
});

operatorRoutes.post('/api/v1/stores/:id/failover', operatorFailover);

adminRoutes.put('/api/v1/config', async (c) => {
  const config = await readJson(c, FleetConfig, 'invalid_config');
  const missing = secretReferences(config).filter((ref) => !hasSecret(c.env, ref.name, ref.binding === true));
  if (missing.length > 0)
    throw new ApiException(
      422,
      'invalid_config',
      `the config names ${missing.length} secret(s) or binding(s) this Worker does not have`,
      missing.map((ref) => ({
        path: formatPath(ref.path),
        message: ref.binding
          ? `no send_email binding "${ref.name}" in wrangler.toml`
          : `no Worker secret "${ref.name}" (wrangler secret put ${ref.name})`,
      })),
    );
  const change = await fleetStub(c.env).putConfig(config);
  return c.json({ ok: true, ...change });
});

adminRoutes.get('/api/v1/config', async (c) => {
  const config = await fleetStub(c.env).getConfig();
  if (!config) throw new ApiException(404, 'no_config', 'no fleet config has been set yet (PUT /api/v1/config)');
  return c.json(config);
});
