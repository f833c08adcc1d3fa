/** The Hono app: routes grouped by audience (anyone, token roles, signed hooks), one error shape. */
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { ApiException } from './http/api-error.ts';
import type { AppEnv } from './http/env.ts';
import type { RouteEntry } from './http/route-group.ts';
import { openApiDocument } from './openapi.ts';
import { adminRoutes, operatorRoutes, viewerRoutes } from './routes/api.ts';
import { heartbeatRoutes, hookRoutes } from './routes/hooks.ts';
import { publicRoutes } from './routes/public.ts';

const groups = [publicRoutes, viewerRoutes, operatorRoutes, adminRoutes, hookRoutes, heartbeatRoutes];

let openApi: ReturnType<typeof openApiDocument> | null = null;
publicRoutes.get('/openapi.json', (c) => {
  openApi ??= openApiDocument(routeTable);
  return c.json(openApi);
});

export const routeTable: RouteEntry[] = groups.flatMap((g) => g.routes);

export const app = new Hono<AppEnv>();
// Any origin may call the API with a token (the browser extension without its host permission, a
// dashboard): tokens are not ambient credentials, so no cookies and no Allow-Credentials.
app.use(
  '*',
  cors({
    origin: '*',
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match', 'X-Operator-Name'],
    exposeHeaders: ['ETag'],
    maxAge: 600,
  }),
);
for (const group of groups) app.route('/', group.app);

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
