import { describe, expect, it } from 'vitest';
import { AuditPage } from '#shared/schemas/audit.ts';
import { client, fleetConfig, storeConfig, TOKENS, unique, watchedStore } from './support.ts';

const NAMED = {
  ADMIN_TOKEN: `carol:carol-admin-tok,${TOKENS.admin}`,
  OPERATOR_TOKEN: `alice:alice-tok,bob:bob:tok:with:colons,${TOKENS.operator}`,
};

function named(fleet?: string) {
  const api = client(fleet, NAMED);
  const as = (token: string, path: string, init: RequestInit = {}) =>
    api.call(path, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
  return { api, as };
}

async function audit(as: ReturnType<typeof named>['as'], query = '') {
  const res = await as('carol-admin-tok', `/api/v1/audit${query}`);
  expect(res.status).toBe(200);
  return AuditPage.parse(await res.json());
}

describe('who did it: named tokens', () => {
  it("a named operator's maintenance window is opened by operator:<name>, and audited as such", async () => {
    const { id, api: watching } = await watchedStore();
    const { as } = named(watching.fleet);
    const res = await as('alice-tok', `/api/v1/stores/${id}/maintenance`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'disk swap', minutes: 30 }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { window: { by?: string } }).window.by).toBe('operator:alice');
    const [entry] = (await audit(as)).entries;
    expect(entry).toMatchObject({ who: 'operator:alice', action: 'maintenance.open', store: id, outcome: 'done' });
    expect(entry?.what).toContain('disk swap');
  });

  it('a header cannot set the name: X-Operator-Name is ignored', async () => {
    const { id, api: watching } = await watchedStore();
    const { as } = named(watching.fleet);
    const res = await as('alice-tok', `/api/v1/stores/${id}/failover`, {
      method: 'POST',
      headers: { 'x-operator-name': 'mallory' },
      body: JSON.stringify({ reason: 'drill' }),
    });
    expect(res.status).toBe(202); // a switchover of a healthy store
    const { failover } = (await res.json()) as { failover: { requestedBy: string } };
    expect(failover.requestedBy).toBe('operator:alice');
    const [entry] = (await audit(as)).entries;
    expect(entry).toMatchObject({ who: 'operator:alice', action: 'failover.request', outcome: 'done' });
    expect(JSON.stringify(await audit(as))).not.toContain('mallory');
  });

  it('a token containing ":" works whole (unnamed) and after its name; unnamed tokens still work', async () => {
    const { as } = named();
    for (const token of ['bob:bob:tok:with:colons', 'bob:tok:with:colons', TOKENS.operator, 'alice-tok']) {
      expect((await as(token, '/api/v1/stores')).status, token).toBe(200);
    }
    expect((await as('alice', '/api/v1/stores')).status).toBe(401); // a name alone is no token
    expect((await as('alice:alice-tok:x', '/api/v1/stores')).status).toBe(401);
  });

  it('config changes are audited with what changed, by the admin who made them', async () => {
    const { as } = named();
    const [a, b] = [unique('st'), unique('st')];
    const put = (stores: unknown[]) =>
      as('carol-admin-tok', '/api/v1/config', { method: 'PUT', body: JSON.stringify(fleetConfig(stores)) });
    expect((await put([storeConfig(a)])).status).toBe(200);
    expect((await put([storeConfig(b), storeConfig(a, { name: 'Renamed' })])).status).toBe(200);
    const { entries } = await audit(as);
    expect(entries.map((e) => [e.who, e.action, e.change])).toEqual([
      ['operator:carol', 'config.change', { added: [b], changed: [a], removed: [] }],
      ['operator:carol', 'config.change', { added: [a], changed: [], removed: [] }],
    ]);
  });

  it('the audit log is paged newest first, and only admins may read it', async () => {
    const { as } = named();
    for (let i = 0; i < 3; i++)
      await as('carol-admin-tok', '/api/v1/config', {
        method: 'PUT',
        body: JSON.stringify(fleetConfig([storeConfig(unique('st'))])),
      });
    const first = await audit(as, '?limit=2');
    expect(first.entries).toHaveLength(2);
    expect(first.next).not.toBeNull();
    const second = await audit(as, `?limit=2&cursor=${first.next}`);
    expect(second.entries).toHaveLength(1);
    expect(second.next).toBeNull();
    const ids = [...first.entries, ...second.entries].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect((await as('alice-tok', '/api/v1/audit')).status).toBe(403);
    expect((await as('carol-admin-tok', '/api/v1/audit?limit=0')).status).toBe(400);
    expect((await as('carol-admin-tok', '/api/v1/audit?cursor=abc')).status).toBe(400);
  });
});

describe('POST /api/v1/stores/:id/epoch', () => {
  it('answers 409 naming each reason when the monitor refuses, and audits the refusal', async () => {
    const { id, api: watching } = await watchedStore();
    const { as } = named(watching.fleet);
    const res = await as('alice-tok', `/api/v1/stores/${id}/epoch`, {
      method: 'POST',
      body: JSON.stringify({ epoch: 7, reason: 'rebuilt cluster' }),
    });
    if (res.status === 200) {
      expect(await res.json()).toEqual({ epoch: 7 });
    } else {
      expect(res.status).toBe(409);
      const body = (await res.json()) as { error: { details: Array<{ message: string }> } };
      expect(body.error.details.length).toBeGreaterThan(0);
    }
    const [entry] = (await audit(as)).entries;
    expect(entry).toMatchObject({ who: 'operator:alice', action: 'epoch.adopt', store: id });
  });

  it('refuses a bad body with 422 and a viewer with 403', async () => {
    const { id, api } = await watchedStore();
    const bad = await api.call(`/api/v1/stores/${id}/epoch`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ epoch: -1 }),
    });
    expect(bad.status).toBe(422);
    const viewer = await api.call(`/api/v1/stores/${id}/epoch`, {
      method: 'POST',
      token: 'viewer',
      body: JSON.stringify({ epoch: 2, reason: 'x' }),
    });
    expect(viewer.status).toBe(403);
  });
});
