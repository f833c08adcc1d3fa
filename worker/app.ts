/**
 * The Hono app: one sub-app per audience (anyone, token roles, signed hooks), each with its guard
 * applied once, and one error shape. The public sub-app is mounted first: its routes answer before
 * the API's guard (which covers /api/v1/*) would see `/api/v1/public/status`.
 */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { ApiException } from './http/api-error.ts';
import { type AudienceApp, routeTable as tableOf } from './http/audience.ts';
import type { AppEnv } from './http/env.ts';
import { openApiDocument } from './openapi-document.ts';
import { api, metrics } from './routes/api.ts';
import { hooks } from './routes/hooks.ts';
import { publicApp } from './routes/public.ts';

/** Built once per origin it is served from (its `servers`); a few origins at most are kept. */
const openApi = new Map<string, ReturnType<typeof openApiDocument>>();
publicApp.get('/openapi.json', (c) => {
  const origin = new URL(c.req.url).origin;
  const doc = openApi.get(origin) ?? openApiDocument(routeTable, origin);
  if (openApi.size < 4) openApi.set(origin, doc);
  return c.json(doc);
});

/** Every sub-app with its audience; the order is the mount order. */
export const audiences: AudienceApp[] = [
  { audience: { kind: 'anyone' }, app: publicApp },
  { audience: { kind: 'role', role: 'viewer' }, app: api },
  { audience: { kind: 'role', role: 'viewer' }, app: metrics },
  { audience: { kind: 'signed' }, app: hooks },
];

export const routeTable = tableOf(audiences);

export const app = new Hono<AppEnv>();
// Any origin may call the API with a token (the browser extension without its host permission, a
// dashboard): tokens are not ambient credentials, so no cookies and no Allow-Credentials.
app.use(
  '*',
  cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
    exposeHeaders: ['ETag'],
    maxAge: 600,
  }),
);
for (const { app: sub } of audiences) app.route('/', sub);

app.notFound((c) => c.json({ error: { code: 'not_found', message: `no route ${c.req.method} ${c.req.path}` } }, 404));

app.onError((err, c) => {
  if (err instanceof ApiException) {
    const details = err.details ? { details: err.details } : {};
    return c.json({ error: { code: err.code, message: err.message, ...details } }, err.status);
  }
  if (err instanceof HTTPException) {
    return c.json({ error: { code: 'http_error', message: err.message } }, err.status);
  }
  console.error(`unhandled error on ${c.req.method} ${c.req.path}:`, err);
  return c.json({ error: { code: 'internal', message: 'internal error; see the worker logs' } }, 500);
});
