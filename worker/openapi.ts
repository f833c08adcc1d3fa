/**
 * The OpenAPI description of every route, from the same zod schemas the routes validate with. Each
 * route the app registers must have an entry here (a test checks both ways), so the description
 * cannot fall behind the code; worker/openapi-document.ts builds the document from it.
 */
import { z } from 'zod';
import {
  FailoverRequest,
  HookFailoverRequest,
  PendingReinstatement,
  PublicStatus,
  ReinstateRequest,
} from '#shared/schemas/api.ts';
import { AuditPage, EpochRequest } from '#shared/schemas/audit.ts';
import { AvailabilityReport } from '#shared/schemas/availability.ts';
import { FleetConfig } from '#shared/schemas/config.ts';
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

export interface RouteDoc {
  /** Unique, stable: what generated clients name the call. */
  operationId: string;
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
  /** Query parameters: a description, or a required one. */
  query?: Record<string, string | { required: true; description: string }>;
  /** Another media type the route answers with on request (the report's `format=csv`). */
  alternative?: 'text/csv';
}

export const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
export const input = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** The operator route and the signed hook answer a failover request alike. */
const FAILOVER_ANSWER = {
  response: z.object({ failover: Failover }),
  status: 202,
  errors: [400, 404, 409, 413, 422],
} satisfies Partial<RouteDoc>;

export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /healthz': {
    operationId: 'getHealth',
    summary: 'Liveness of the worker',
    response: z.object({ ok: z.literal(true) }),
  },
  'GET /api/v1/public/status': {
    operationId: 'getPublicStatus',
    summary: 'Public status of the public stores (nothing internal)',
    response: PublicStatus,
  },
  'GET /status': {
    operationId: 'getStatusPage',
    summary: 'The public status page',
    response: 'text/html',
    query: {
      region: "optional: one region's page, with every store's 90-day bar",
      lang: 'optional: en or zh-CN; without it, Accept-Language chooses (default en)',
    },
    errors: [400],
  },
  'GET /status/feed.atom': {
    operationId: 'getIncidentFeed',
    summary: "Atom feed of the public stores' incidents and their public notes (all, or one region's)",
    response: 'application/atom+xml',
    query: { region: "optional: one region's incidents" },
    errors: [400, 404],
  },
  'GET /badge/:file': {
    operationId: 'getBadge',
    summary: 'Status badge of a public store: <store>.svg, or <store>.json for a shields.io endpoint badge',
    response: 'image/svg+xml',
    query: { window: 'optional: 24h, 7d, 30d or 90d: add the uptime over that window' },
    errors: [400, 404],
  },
  'GET /openapi.json': {
    operationId: 'getOpenApi',
    summary: 'This description',
    response: z.record(z.string(), z.unknown()),
  },
  'GET /api/v1/stores': {
    operationId: 'listStores',
    summary: 'Every configured store; answers an ETag and 304 to If-None-Match',
    response: z.object({ stores: z.array(StoreStatus) }),
  },
  'GET /api/v1/stores/:id': {
    operationId: 'getStore',
    summary: 'One store, live',
    response: StoreStatus,
    errors: [404],
  },
  'GET /api/v1/stores/:id/events': {
    operationId: 'listStoreEvents',
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
    operationId: 'listStoreAlerts',
    summary: "The store's open alerts",
    response: z.object({ alerts: z.array(OpenAlert) }),
    errors: [404],
  },
  'GET /api/v1/stores/:id/jobs': {
    operationId: 'listStoreJobs',
    summary: "The store's scheduled jobs and their heartbeat state",
    response: z.object({ jobs: z.array(JobSummary) }),
    errors: [404],
  },
  'GET /api/v1/stores/:id/jobs/:jobId/runs': {
    operationId: 'listJobRuns',
    summary: "A job's heartbeats, newest first (kept 30 days)",
    response: z.object({ runs: z.array(JobRun) }),
    query: { limit: 'integer 1..1000, default 100', before: 'ISO-8601 time: heartbeats before it' },
    errors: [400, 404],
  },
  'GET /api/v1/stores/:id/maintenance': {
    operationId: 'getMaintenance',
    summary: "The store's maintenance windows: the active one, the next, and all configured or opened",
    response: MaintenanceState,
    errors: [404],
  },
  'POST /api/v1/stores/:id/maintenance': {
    operationId: 'startMaintenance',
    summary: 'Open a one-off maintenance window (from now unless start is given)',
    request: MaintenanceRequest,
    response: z.object({ window: WindowJson }),
    status: 201,
    errors: [400, 404, 413, 422],
  },
  'DELETE /api/v1/stores/:id/maintenance': {
    operationId: 'endMaintenance',
    summary: 'End the windows opened through the API (all, or ?id=)',
    response: z.object({ ended: z.literal(true) }),
    query: { id: 'optional: the window to end' },
    errors: [404],
  },
  'GET /api/v1/stores/:id/failovers': {
    operationId: 'listFailovers',
    summary: "The store's failovers, newest first",
    response: z.object({ failovers: z.array(Failover) }),
    query: { limit: 'integer 1..500, default 50' },
    errors: [400, 404],
  },
  'GET /metrics': {
    operationId: 'getMetrics',
    summary: 'Prometheus text exposition of the fleet',
    response: 'text/plain',
  },
  'GET /api/v1/stream': {
    operationId: 'openStream',
    summary: 'WebSocket (token as subprotocol mirrorwatch.bearer.<token>): a snapshot, then a message per change',
    response: 'websocket',
    status: 101,
    errors: [426],
  },
  'POST /api/v1/stores/:id/failover': {
    operationId: 'requestFailover',
    summary: 'Fail over now, or confirm a failover awaiting confirmation',
    request: FailoverRequest,
    ...FAILOVER_ANSWER,
  },
  'POST /api/v1/stores/:id/reinstate': {
    operationId: 'reinstateNode',
    summary: 'Rebuild a fenced former primary as a standby of the current primary (sends a signed reinstate); audited',
    request: ReinstateRequest,
    response: z.object({ reinstatement: PendingReinstatement }),
    status: 202,
    errors: [400, 404, 409, 413, 422],
  },
  'POST /api/v1/stores/:id/epoch': {
    operationId: 'adoptEpoch',
    summary: 'Adopt an epoch a node reports but mirrorwatch never issued; audited',
    request: EpochRequest,
    response: z.object({ epoch: z.number().int() }),
    errors: [400, 404, 409, 413, 422],
  },
  'GET /api/v1/reports/availability': {
    operationId: 'getAvailabilityReport',
    summary:
      "Availability per store over a span of each store's own calendar days: availability, minutes down, incidents, failovers with detection time, RTO and data-loss bound; JSON or CSV (one row per store)",
    response: AvailabilityReport,
    query: {
      from: { required: true, description: 'first day, YYYY-MM-DD' },
      to: { required: true, description: 'last day, YYYY-MM-DD (at most 400 days after from)' },
      region: 'optional: only the stores of this region',
      format: 'optional: json (default) or csv',
    },
    errors: [400],
    alternative: 'text/csv',
  },
  'GET /api/v1/incidents': {
    operationId: 'listIncidents',
    summary:
      "Every store's incidents of the last 14 days (public or not), newest first, with their ids and public notes",
    response: z.object({ incidents: z.array(ListedIncident) }),
  },
  'POST /api/v1/incidents/:incident/notes': {
    operationId: 'postIncidentNote',
    summary:
      'Post a public note (an update, with an optional state) on a listed incident; shown on the status page and in the feed; audited',
    request: IncidentNoteRequest,
    response: z.object({ note: IncidentNote }),
    status: 201,
    errors: [400, 404, 413, 422],
  },
  'GET /api/v1/audit': {
    operationId: 'listAudit',
    summary:
      'The audit log, newest first: config changes, failover requests, confirmations and refusals, maintenance, epoch adoption (kept 400 days)',
    response: AuditPage,
    query: { limit: 'integer 1..500, default 100', cursor: 'the `next` of the previous page' },
    errors: [400],
  },
  'PUT /api/v1/config': {
    operationId: 'putConfig',
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
  'GET /api/v1/config': {
    operationId: 'getConfig',
    summary: 'The fleet config in force',
    response: FleetConfig,
    errors: [404],
  },
  'POST /hooks/v1/failover': {
    operationId: 'hookFailover',
    summary:
      "Signed failover request with the store's hook key (as the operator route; allowDataLoss is refused with 400)",
    request: HookFailoverRequest,
    ...FAILOVER_ANSWER,
  },
  'POST /hooks/v1/heartbeat/:storeId/:jobId': {
    operationId: 'postHeartbeat',
    summary: "A scheduled job's heartbeat: signed, or with the job's own bearer token (tokenSecret)",
    request: HeartbeatRequest,
    response: z.object({ job: JobSummary }),
    errors: [400, 404, 413, 422],
  },
  'POST /hooks/v1/agent/:storeId': {
    operationId: 'pushAgentReport',
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
