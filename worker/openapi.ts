/**
 * The OpenAPI 3.1 description of every route, built from the same zod schemas the routes validate
 * with. Each route the app registers must have an entry here (a test checks both ways), so the
 * description cannot fall behind the code.
 */
import { z } from 'zod';
import { INCIDENT_ID_PATTERN } from '#shared/incident-id.ts';
import { ApiError, FailoverRequest, HookFailoverRequest, PublicStatus } from '#shared/schemas/api.ts';
import { AuditPage, EpochRequest } from '#shared/schemas/audit.ts';
import { AvailabilityReport } from '#shared/schemas/availability.ts';
import { FleetConfig, ID_PATTERN } from '#shared/schemas/config.ts';
import {
  HeartbeatRequest,
  JobRun,
  JobSummary,
  MaintenanceRequest,
  MaintenanceState,
  OpenAlert,
  WindowJson,
} from '#shared/schemas/duties-api.ts';
import { IncidentNote, IncidentNoteRequest, ListedIncident } from '#shared/schemas/incident-notes.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { EVENT_TYPES, Failover, StoreEvent, StoreStatus } from '#shared/schemas/status.ts';
import type { RouteEntry } from './http/audience.ts';

interface RouteDoc {
  summary: string;
  request?: z.ZodType;
  /** JSON answer of the success status; a string is a non-JSON media type. */
  response?:
    | z.ZodType
    | 'text/html'
    | 'text/plain'
    | 'text/csv'
    | 'image/svg+xml'
    | 'application/atom+xml'
    | 'websocket';
  status?: number;
  errors?: number[];
  query?: Record<string, string>;
}

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** The operator route and the signed hook answer a failover request alike. */
const FAILOVER_ANSWER = {
  response: z.object({ failover: Failover }),
  status: 202,
  errors: [400, 404, 409, 413, 422],
} satisfies Partial<RouteDoc>;

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /healthz': { summary: 'Liveness of the worker', response: z.object({ ok: z.literal(true) }) },
  'GET /api/v1/public/status': {
    summary: 'Public status of the public stores (nothing internal)',
    response: PublicStatus,
  },
  'GET /status': {
    summary: 'The public status page',
    response: 'text/html',
    query: { region: "optional: one region's page, with every store's 90-day bar" },
    errors: [400],
  },
  'GET /status/feed.atom': {
    summary: "Atom feed of the public stores' incidents and their public notes (all, or one region's)",
    response: 'application/atom+xml',
    query: { region: "optional: one region's incidents" },
    errors: [400, 404],
  },
  'GET /badge/:file': {
    summary: 'Status badge of a public store: <store>.svg, or <store>.json for a shields.io endpoint badge',
    response: 'image/svg+xml',
    query: { window: 'optional: 24h, 7d, 30d or 90d: add the uptime over that window' },
    errors: [400, 404],
  },
  'GET /openapi.json': { summary: 'This description', response: z.record(z.string(), z.unknown()) },
  'GET /api/v1/stores': {
    summary: 'Every configured store; answers an ETag and 304 to If-None-Match',
    response: z.object({ stores: z.array(StoreStatus) }),
  },
  'GET /api/v1/stores/:id': { summary: 'One store, live', response: StoreStatus, errors: [404] },
  'GET /api/v1/stores/:id/events': {
    summary: "The store's online log, newest first, filtered and paged",
    response: z.object({ events: z.array(StoreEvent), next: z.string().nullable() }),
    query: {
      type: `comma-separated event types: ${EVENT_TYPES.join(', ')}`,
      since: 'ISO-8601 time: events at or after it',
      until: 'ISO-8601 time: events before it (alias: before)',
      limit: 'integer 1..1000, default 100',
      cursor: 'the `next` of the previous page',
    },
    errors: [400, 404],
  },
  'GET /api/v1/stores/:id/alerts': {
    summary: "The store's open alerts",
    response: z.object({ alerts: z.array(OpenAlert) }),
    errors: [404],
  },
  'GET /api/v1/stores/:id/jobs': {
    summary: "The store's scheduled jobs and their heartbeat state",
    response: z.object({ jobs: z.array(JobSummary) }),
    errors: [404],
  },
  'GET /api/v1/stores/:id/jobs/:jobId/runs': {
    summary: "A job's heartbeats, newest first (kept 30 days)",
    response: z.object({ runs: z.array(JobRun) }),
    query: { limit: 'integer 1..1000, default 100', before: 'ISO-8601 time: heartbeats before it' },
    errors: [400, 404],
  },
  'GET /api/v1/stores/:id/maintenance': {
    summary: "The store's maintenance windows: the active one, the next, and all configured or opened",
    response: MaintenanceState,
    errors: [404],
  },
  'POST /api/v1/stores/:id/maintenance': {
    summary: 'Open a one-off maintenance window (from now unless start is given)',
    request: MaintenanceRequest,
    response: z.object({ window: WindowJson }),
    status: 201,
    errors: [400, 404, 413, 422],
  },
  'DELETE /api/v1/stores/:id/maintenance': {
    summary: 'End the windows opened through the API (all, or ?id=)',
    response: z.object({ ended: z.literal(true) }),
    query: { id: 'optional: the window to end' },
    errors: [404],
  },
  'GET /api/v1/stores/:id/failovers': {
    summary: "The store's failovers, newest first",
    response: z.object({ failovers: z.array(Failover) }),
    query: { limit: 'integer 1..500, default 50' },
    errors: [400, 404],
  },
  'GET /metrics': { summary: 'Prometheus text exposition of the fleet', response: 'text/plain' },
  'GET /api/v1/stream': {
    summary: 'WebSocket (token as subprotocol mirrorwatch.bearer.<token>): a snapshot, then a message per change',
    response: 'websocket',
    status: 101,
    errors: [426],
  },
  'POST /api/v1/stores/:id/failover': {
    summary: 'Fail over now, or confirm a failover awaiting confirmation',
    request: FailoverRequest,
    ...FAILOVER_ANSWER,
  },
  'POST /api/v1/stores/:id/epoch': {
    summary: 'Adopt an epoch a node reports but mirrorwatch never issued; audited',
    request: EpochRequest,
    response: z.object({ epoch: z.number().int() }),
    errors: [400, 404, 409, 413, 422],
  },
  'GET /api/v1/reports/availability': {
    summary:
      "Availability per store over a span of each store's own calendar days: availability, minutes down, incidents, failovers with detection time, RTO and data-loss bound; JSON or CSV (one row per store)",
    response: AvailabilityReport,
    query: {
      from: 'required: first day, YYYY-MM-DD',
      to: 'required: last day, YYYY-MM-DD (at most 400 days after from)',
      region: 'optional: only the stores of this region',
      format: 'optional: json (default) or csv',
    },
    errors: [400],
  },
  'GET /api/v1/incidents': {
    summary:
      "Every store's incidents of the last 14 days (public or not), newest first, with their ids and public notes",
    response: z.object({ incidents: z.array(ListedIncident) }),
  },
  'POST /api/v1/incidents/:incident/notes': {
    summary:
      'Post a public note (an update, with an optional state) on a listed incident; shown on the status page and in the feed; audited',
    request: IncidentNoteRequest,
    response: z.object({ note: IncidentNote }),
    status: 201,
    errors: [400, 404, 413, 422],
  },
  'GET /api/v1/audit': {
    summary:
      'The audit log, newest first: config changes, failover requests, confirmations and refusals, maintenance, epoch adoption (kept 400 days)',
    response: AuditPage,
    query: { limit: 'integer 1..500, default 100', cursor: 'the `next` of the previous page' },
    errors: [400],
  },
  'PUT /api/v1/config': {
    summary:
      "Replace the fleet config (422 lists every problem and changes nothing; naming one of the Worker's own credentials is one)",
    request: FleetConfig,
    response: z.object({
      ok: z.literal(true),
      stores: z.number(),
      added: z.array(z.string()),
      changed: z.array(z.string()),
      removed: z.array(z.string()),
    }),
    errors: [400, 413, 422],
  },
  'GET /api/v1/config': { summary: 'The fleet config in force', response: FleetConfig, errors: [404] },
  'POST /hooks/v1/failover': {
    summary:
      "Signed failover request with the store's hook key (as the operator route; allowDataLoss is refused with 400)",
    request: HookFailoverRequest,
    ...FAILOVER_ANSWER,
  },
  'POST /hooks/v1/heartbeat/:storeId/:jobId': {
    summary: "A scheduled job's heartbeat: signed, or with the job's own bearer token (tokenSecret)",
    request: HeartbeatRequest,
    response: z.object({ job: JobSummary }),
    errors: [400, 404, 413, 422],
  },
  'POST /hooks/v1/agent/:storeId': {
    summary:
      "Agent report (push mode), signed with the reporting node's or the arbiter's own key; the serving primary gets its lease in the answer (contract section 6)",
    request: AgentReport,
    response: z.object({
      accepted: z.literal(true),
      lease: z
        .object({
          epoch: z.number().int(),
          seconds: z.number().int(),
          timestamp: z.number().int(),
          signature: z.string(),
        })
        .optional(),
    }),
    status: 202,
    errors: [400, 404, 413, 422],
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON or query',
  401: 'Missing or invalid token or signature',
  403: 'Role too low',
  404: 'Unknown store',
  409: 'Refused (failover, epoch): every unmet condition in details',
  413: 'Body over 1 MiB',
  422: 'Invalid body: every problem with its path',
  426: 'Not a WebSocket upgrade',
};

function content(response: RouteDoc['response']) {
  if (!response || response === 'websocket') return undefined;
  if (typeof response === 'string') return { [response]: { schema: { type: 'string' } } };
  return { 'application/json': { schema: json(response) } };
}

export function openApiDocument(routes: RouteEntry[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = ROUTE_DOCS[`${route.method} ${route.path}`];
    if (!doc) throw new Error(`route ${route.method} ${route.path} has no OpenAPI entry in worker/openapi.ts`);
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: (m[1] === 'incident' ? INCIDENT_ID_PATTERN : ID_PATTERN).source },
    }));
    const query = Object.entries(doc.query ?? {}).map(([name, description]) => ({
      name,
      in: 'query',
      required: false,
      description,
      schema: { type: 'string' },
    }));
    const security =
      route.audience.kind === 'role'
        ? [{ bearer: [] }]
        : route.audience.kind === 'signed'
          ? [{ signature: [], timestamp: [], principal: [] }, ...(route.audience.jobToken ? [{ bearer: [] }] : [])]
          : [];
    const errors = [...(doc.errors ?? []), ...(route.audience.kind === 'anyone' ? [] : [401])];
    if (route.audience.kind === 'role' && route.audience.role !== 'viewer') errors.push(403);
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: doc.summary,
      ...(route.audience.kind === 'role' ? { 'x-mirrorwatch-role': route.audience.role } : {}),
      security,
      parameters: [...params, ...query],
      ...(doc.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: input(doc.request) } } } }
        : {}),
      responses: {
        [String(doc.status ?? 200)]: {
          description: 'Success',
          ...(content(doc.response) ? { content: content(doc.response) } : {}),
        },
        ...Object.fromEntries(
          [...new Set(errors)].map((code) => [
            String(code),
            {
              description: ERROR_TEXT[code] ?? 'Error',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mirrorwatch',
      version: '1',
      description: 'Edge observer and failover arbiter for mirrored store databases',
    },
    paths,
    components: {
      schemas: { ApiError: json(ApiError) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN, OPERATOR_TOKEN or VIEWER_TOKEN' },
        signature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Mirrorwatch-Signature',
          description:
            'v1=<hex HMAC-SHA256(key(HOOK_SECRET, store, principal), "<timestamp>.<raw body>")>; each request once, within 300 s',
        },
        principal: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Mirrorwatch-Principal',
          description: 'Whose key signed: a node id, arbiter, hook, or job:<job id> (docs/PROTOCOL.md section 4)',
        },
        timestamp: { type: 'apiKey', in: 'header', name: 'X-Mirrorwatch-Timestamp', description: 'Unix seconds' },
      },
    },
  };
}
