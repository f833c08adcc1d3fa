/**
 * The authenticated API under /api/v1: any valid token gets in (viewers read); routes that act or
 * configure raise the floor with `needs('operator')` / `needs('admin')`, written on the route.
 */
import { type Context, Hono } from 'hono';
import { AuditQuery, EpochRequest } from '#shared/schemas/audit.ts';
import { FleetConfig, ID_PATTERN } from '#shared/schemas/config.ts';
import { MaintenanceRequest } from '#shared/schemas/duties-api.ts';
import { IncidentNoteRequest } from '#shared/schemas/incident-notes.ts';
import { EVENT_TYPES } from '#shared/schemas/status.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { needs, offersStreamProtocol, requestToken, requireRole } from '../http/auth.ts';
import { readJson } from '../http/body.ts';
import { checkConfigSecrets } from '../http/config-secrets.ts';
import type { AppEnv } from '../http/env.ts';
import { ifNoneMatch } from '../http/etag.ts';
import { intParam, listParam, timeParam } from '../http/query.ts';
import { STREAM_HEADERS, tokenHash } from '../http/stream-auth.ts';
import { monitorStub } from '../monitor/stub.ts';
import { renderMetrics } from '../views/prometheus.ts';
import { operatorFailover } from './failover.ts';
import { maintenanceJson, windowJson } from './maintenance-json.ts';
import { availabilityReport } from './reports.ts';

export const api = new Hono<AppEnv>().basePath('/api/v1');
api.use(requireRole('viewer'));

/** Prometheus scrapes `/metrics` by convention, so it is a viewer sub-app of its own. */
export const metrics = new Hono<AppEnv>();
metrics.use('/metrics', requireRole('viewer'));
metrics.get('/metrics', async (c) => {
  const text = renderMetrics(await fleetStub(c.env).listStatuses());
  return c.body(text, 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
});

/** A configured store id, or 404. */
async function knownStore(c: Context<AppEnv>, id: string): Promise<string> {
  if (!ID_PATTERN.test(id)) throw notFound(`no store "${id.slice(0, 64)}"`);
  if (!(await fleetStub(c.env).hasStore(id))) throw notFound(`no store "${id}" in the fleet config`);
  return id;
}

api.get('/stores', async (c) => {
  const { body, etag } = await fleetStub(c.env).storeList(Date.now());
  c.header('ETag', etag);
  c.header('Cache-Control', 'private, no-cache');
  if (ifNoneMatch(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return c.body(body, 200, { 'Content-Type': 'application/json' });
});

api.get('/stream', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiException(426, 'upgrade_required', 'this route is a WebSocket: send Upgrade: websocket');
  }
  // The guard has checked the token; the Fleet keeps only its hash, to close the socket if it is revoked.
  const headers = new Headers(c.req.raw.headers);
  headers.set(STREAM_HEADERS.tokenHash, await tokenHash(requestToken((n) => c.req.header(n)) ?? ''));
  headers.set(STREAM_HEADERS.protocol, offersStreamProtocol(c.req.header('sec-websocket-protocol')) ? '1' : '0');
  return fleetStub(c.env).fetch(new Request(c.req.raw.url, { method: 'GET', headers }));
});

api.get('/stores/:id', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const live = await monitorStub(c.env, id).status();
  return c.json(live ?? (await fleetStub(c.env).getStatus(id)));
});

api.get('/stores/:id/events', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
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

api.get('/stores/:id/alerts', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  return c.json({ alerts: await monitorStub(c.env, id).openAlerts() });
});

api.get('/stores/:id/jobs', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  return c.json({ jobs: await monitorStub(c.env, id).jobs() });
});

api.get('/stores/:id/jobs/:jobId/runs', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const jobId = c.req.param('jobId');
  const monitor = monitorStub(c.env, id);
  if (!(await monitor.jobs()).some((j) => j.id === jobId))
    throw notFound(`no job "${jobId.slice(0, 64)}" in store "${id}"`);
  const until = timeParam(c, 'before');
  return c.json({ runs: await monitor.jobRuns(jobId, intParam(c, 'limit', 1, 1000) ?? 100, until) });
});

api.get('/stores/:id/maintenance', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const view = await monitorStub(c.env, id).maintenance();
  return c.json(maintenanceJson(view));
});

api.post('/stores/:id/maintenance', needs('operator'), async (c) => {
  const id = await knownStore(c, c.req.param('id'));
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
    by: c.get('requestedBy'),
  });
  if (!window) throw notFound(`store "${id}" is not monitored yet`);
  const json = windowJson(window);
  await fleetStub(c.env).audit({
    who: c.get('requestedBy'),
    action: 'maintenance.open',
    store: id,
    what: `maintenance window ${json.id} until ${json.end ?? 'its schedule ends'}: ${body.reason}`,
    outcome: 'done',
  });
  return c.json({ window: json }, 201);
});

api.delete('/stores/:id/maintenance', needs('operator'), async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const windowId = c.req.query('id') ?? null;
  const ended = await monitorStub(c.env, id).endMaintenance(windowId, c.get('requestedBy'));
  if (!ended)
    throw notFound(
      windowId
        ? `no open maintenance window "${windowId.slice(0, 64)}"`
        : 'no maintenance window opened through the API is open',
    );
  await fleetStub(c.env).audit({
    who: c.get('requestedBy'),
    action: 'maintenance.end',
    store: id,
    what: windowId ? `ended maintenance window ${windowId}` : 'ended the open maintenance window',
    outcome: 'done',
  });
  return c.json({ ended: true });
});

api.get('/stores/:id/failovers', async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const limit = intParam(c, 'limit', 1, 500) ?? 50;
  return c.json({ failovers: await monitorStub(c.env, id).failovers(limit) });
});

api.post('/stores/:id/failover', needs('operator'), async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  return operatorFailover(c, id);
});

/** Adopts an epoch a node reports but mirrorwatch never issued (docs/PROTOCOL.md section 5). */
api.post('/stores/:id/epoch', needs('operator'), async (c) => {
  const id = await knownStore(c, c.req.param('id'));
  const body = await readJson(c, EpochRequest, 'invalid_request');
  const by = c.get('requestedBy');
  const answer = await monitorStub(c.env, id).adoptEpoch({ epoch: body.epoch, by, reason: body.reason });
  await fleetStub(c.env).audit({
    who: by,
    action: 'epoch.adopt',
    store: id,
    what: `adopt epoch ${body.epoch}: ${body.reason}`,
    outcome: answer.ok ? 'done' : 'refused',
    ...(answer.ok ? {} : { reasons: answer.reasons }),
  });
  if (!answer.ok)
    throw new ApiException(
      409,
      'epoch_refused',
      `epoch ${body.epoch} not adopted: ${answer.reasons.join('; ')}`,
      answer.reasons.map((message) => ({ path: 'epoch', message })),
    );
  return c.json({ epoch: answer.epoch });
});

api.get('/reports/availability', availabilityReport);

api.get('/incidents', async (c) => c.json({ incidents: await fleetStub(c.env).listIncidents(Date.now()) }));

/** A public note on an incident (shown on the status page and in the feed); audited. */
api.post('/incidents/:incident/notes', needs('operator'), async (c) => {
  const incident = c.req.param('incident');
  const body = await readJson(c, IncidentNoteRequest, 'invalid_note');
  const note = await fleetStub(c.env).addIncidentNote(incident, body, c.get('requestedBy'));
  if (!note)
    throw notFound(`no incident "${incident.slice(0, 120)}" is listed now (GET /api/v1/incidents lists their ids)`);
  return c.json({ note }, 201);
});

api.get('/audit', needs('admin'), async (c) => {
  const query = AuditQuery.safeParse({ limit: c.req.query('limit'), cursor: c.req.query('cursor') });
  if (!query.success)
    throw new ApiException(400, 'invalid_query', 'limit must be an integer from 1 to 500, cursor a value of next');
  return c.json(await fleetStub(c.env).auditPage(query.data.limit, query.data.cursor ?? null));
});

api.put('/config', needs('admin'), async (c) => {
  const config = await readJson(c, FleetConfig, 'invalid_config');
  checkConfigSecrets(c.env, config);
  const change = await fleetStub(c.env).putConfig(config, c.get('requestedBy'));
  return c.json({ ok: true, ...change });
});

api.get('/config', needs('admin'), async (c) => {
  const config = await fleetStub(c.env).getConfig();
  if (!config) throw new ApiException(404, 'no_config', 'no fleet config has been set yet (PUT /api/v1/config)');
  return c.json(config);
});
