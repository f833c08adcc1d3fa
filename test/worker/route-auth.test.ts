import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { app, audiences, routeTable } from '#worker/app.ts';
import { routeTable as tableOf } from '#worker/http/audience.ts';
import type { AppEnv } from '#worker/http/env.ts';
import { client, fleetConfig, hookHeaders, storeConfig, unique } from './support.ts';

/** Routes an app serves that no audience declares. */
function undeclared(served: Hono<AppEnv>, table: Array<{ method: string; path: string }>): string[] {
  const declared = new Set(table.map((r) => `${r.method} ${r.path}`));
  return served.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => `${r.method} ${r.path}`)
    .filter((r) => !declared.has(r));
}

const concrete = (path: string) => path.replace(/:(\w+)/g, 'x-$1');
const below = { viewer: null, operator: 'viewer', admin: 'operator' } as const;

describe('every route decides who may call it', () => {
  it('every route the app serves was registered in an audience sub-app', () => {
    expect(undeclared(app, routeTable)).toEqual([]);
    const served = new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`));
    expect(routeTable.filter((r) => !served.has(`${r.method} ${r.path}`))).toEqual([]);
  });

  it('the check catches a route added beside the audience sub-apps', () => {
    const stray = new Hono<AppEnv>();
    for (const { app: sub } of audiences) stray.route('/', sub);
    stray.get('/api/v1/backdoor', (c) => c.text('open'));
    expect(undeclared(stray, tableOf(audiences))).toEqual(['GET /api/v1/backdoor']);
  });

  it('routes that act or configure say so: operator and admin routes', () => {
    const role = (method: string, path: string) =>
      routeTable.find((r) => r.method === method && r.path === path)?.audience;
    expect(role('POST', '/api/v1/stores/:id/failover')).toEqual({ kind: 'role', role: 'operator' });
    expect(role('PUT', '/api/v1/config')).toEqual({ kind: 'role', role: 'admin' });
    expect(role('GET', '/api/v1/audit')).toEqual({ kind: 'role', role: 'admin' });
    expect(role('GET', '/api/v1/stores')).toEqual({ kind: 'role', role: 'viewer' });
    expect(role('POST', '/hooks/v1/heartbeat/:storeId/:jobId')).toEqual({ kind: 'signed', jobToken: true });
  });

  for (const route of routeTable.filter((r) => r.audience.kind === 'anyone')) {
    it(`${route.method} ${route.path} answers without a token`, async () => {
      const res = await client().call(concrete(route.path).replace('x-file', 'x.svg'));
      expect(res.status).not.toBe(401);
      await res.body?.cancel();
    });
  }

  it('no route under /api/ (but the public one) or /hooks/ is open to anyone', () => {
    const open = routeTable.filter(
      (r) => r.audience.kind === 'anyone' && /^\/(api|hooks)\//.test(r.path) && !r.path.startsWith('/api/v1/public/'),
    );
    expect(open).toEqual([]);
  });

  for (const route of routeTable.filter((r) => r.audience.kind === 'role')) {
    it(`${route.method} ${route.path} answers 401 without a token and with a wrong one`, async () => {
      const api = client();
      const init = { method: route.method, body: route.method === 'GET' ? undefined : '{}' };
      const none = await api.call(concrete(route.path), init);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toContain('Bearer');
      const wrong = await api.call(concrete(route.path), {
        ...init,
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(wrong.status).toBe(401);
    });

    const role = route.audience.kind === 'role' ? route.audience.role : 'viewer';
    const lower = below[role];
    if (lower) {
      it(`${route.method} ${route.path} answers 403 to a ${lower} token`, async () => {
        const res = await client().call(concrete(route.path), {
          method: route.method,
          body: route.method === 'GET' ? undefined : '{}',
          token: lower,
        });
        expect(res.status).toBe(403);
      });
    }
  }

  for (const route of routeTable.filter((r) => r.audience.kind === 'signed')) {
    it(`${route.method} ${route.path} answers 401 unsigned, with an admin token, or signed with a wrong key`, async () => {
      const id = unique('st');
      const api = client();
      await api.putConfig(fleetConfig([storeConfig(id, { jobs: [{ id: 'sync', schedule: '*/10 * * * *' }] })]));
      const path = route.path.replace(':storeId', id).replace(':jobId', 'sync');
      const body = JSON.stringify({ store: id, reason: 'x', event: 'start' });
      const principal = path.includes('/agent/') ? `${id}-a` : path.includes('/heartbeat/') ? 'job:sync' : 'hook';
      const attempts: Array<[string, Record<string, string>]> = [
        ['admin token', { authorization: 'Bearer admin-token-2' }],
        ['unsigned', {}],
        ['wrong master', await hookHeaders(id, principal, body, { master: 'not-the-hook-secret' })],
      ];
      for (const [what, headers] of attempts) {
        const res = await api.call(path, { method: route.method, body, headers });
        expect(res.status, what).toBe(401);
      }
    });
  }
});

describe('CORS', () => {
  it('answers a preflight for a token-carrying request from any origin, without credentials', async () => {
    const res = await client().call('/api/v1/stores', {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://abcdefghijklmnop',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, if-none-match',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await client().call('/api/v1/stores', { headers: { origin: 'https://dash.example' }, token: 'viewer' });
    expect(get.headers.get('access-control-expose-headers')).toContain('ETag');
  });
});
