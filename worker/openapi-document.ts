/**
 * Builds the OpenAPI 3.1 document from the route table and ROUTE_DOCS (worker/openapi.ts): paths,
 * parameters, security by audience, answers, and what linters and generators ask of a document
 * (servers, operation ids, a 4xx answer everywhere, a licence).
 */
import { INCIDENT_ID_PATTERN } from '#shared/incident-id.ts';
import { ApiError } from '#shared/schemas/api.ts';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import type { RouteEntry } from './http/audience.ts';
import { input, json, ROUTE_DOCS, type RouteDoc } from './openapi.ts';

const ERROR_TEXT: Record<number, string> = {
  400: 'Malformed JSON or query',
  401: 'Missing or invalid token or signature',
  403: 'Role too low',
  404: 'Unknown store',
  409: 'Refused (failover, reinstate, epoch): every unmet condition in details',
  413: 'Body over 1 MiB',
  422: 'Invalid body: every problem with its path',
  426: 'Not a WebSocket upgrade',
};

function content(doc: RouteDoc) {
  const { response } = doc;
  if (!response || response === 'websocket') return undefined;
  const text = { schema: { type: 'string' } };
  if (typeof response === 'string') return { [response]: text };
  return { 'application/json': { schema: json(response) }, ...(doc.alternative ? { [doc.alternative]: text } : {}) };
}

const errorAnswer = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
});

/**
 * The answers of a route: its success, each error it documents, and a `4XX` range for a route with no
 * error of its own (an unknown path or method answers in the same shape). A WebSocket's success is
 * 101; its other answers are errors, given as `default` so a generator still sees a typed answer.
 */
function responses(doc: RouteDoc, errors: readonly number[]) {
  const success = doc.status ?? 200;
  const body = content(doc);
  return {
    [String(success)]: {
      description: success === 101 ? 'Switching to the WebSocket' : 'Success',
      ...(body ? { content: body } : {}),
    },
    ...Object.fromEntries(errors.map((code) => [String(code), errorAnswer(ERROR_TEXT[code] ?? 'Error')])),
    ...(errors.some((code) => code >= 400 && code < 500) ? {} : { '4XX': errorAnswer('Client error') }),
    ...(success === 101 ? { default: errorAnswer('Not upgraded: an error') } : {}),
  };
}

/**
 * The package is private and the repository grants no licence yet; an SPDX `LicenseRef-` names that
 * honestly (generators and linters want one). Change it here when a licence is chosen.
 */
export const API_LICENSE = { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' };

/** `origin`: where this document was served from, the API's only server. */
export function openApiDocument(routes: RouteEntry[], origin: string) {
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
    const query = Object.entries(doc.query ?? {}).map(([name, q]) => ({
      name,
      in: 'query',
      required: typeof q !== 'string',
      description: typeof q === 'string' ? q : q.description,
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
      operationId: doc.operationId,
      summary: doc.summary,
      ...(route.audience.kind === 'role' ? { 'x-mirrorwatch-role': route.audience.role } : {}),
      security,
      parameters: [...params, ...query],
      ...(doc.request
        ? { requestBody: { required: true, content: { 'application/json': { schema: input(doc.request) } } } }
        : {}),
      responses: responses(doc, [...new Set(errors)]),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mirrorwatch',
      version: '1',
      description: 'Edge observer and failover arbiter for mirrored store databases',
      license: API_LICENSE,
    },
    servers: [{ url: origin, description: 'This deployment' }],
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
