import { describe, expect, it } from 'vitest';
import { app, routeTable } from '#worker/app.ts';
import { client } from './support.ts';

const concrete = (path: string) => path.replace(/:(\w+)/g, 'x-$1');
const below = { viewer: null, operator: 'viewer', admin: 'operator' } as const;

describe('every route decides who may call it', () => {
  it('every route the app serves was registered through an audience group', () => {
    const served = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    const declared = routeTable.map((r) => `${r.method} ${r.path}`);
    expect(new Set(served)).toEqual(new Set(declared));
  });

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
    it(`${route.method} ${route.path} answers 401 without a signature, even with an admin token`, async () => {
      const res = await client().call(concrete(route.path), { method: route.method, body: '{}', token: 'admin' });
      expect(res.status).toBe(401);
      // A route that takes a job's token reads the admin token as a (wrong) job token.
      const code =
        route.audience.kind === 'signed' && route.audience.jobToken ? 'unauthorized' : 'signature_missing_timestamp';
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
      const unsigned = await client().call(concrete(route.path), { method: route.method, body: '{}' });
      expect(unsigned.status).toBe(401);
      expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('signature_missing_timestamp');
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
