import { describe, expect, it } from 'vitest';
import { client, fleetConfig, storeConfig, unique } from './support.ts';

describe('PUT /api/v1/config', () => {
  it('accepts a valid config, fills in the defaults, and GET returns it', async () => {
    const api = client();
    const id = unique('st');
    const res = await api.putConfig(fleetConfig([storeConfig(id)]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, stores: 1, added: [id], removed: [] });
    const got = await api.call('/api/v1/config', { token: 'admin' });
    expect(got.status).toBe(200);
    const config = (await got.json()) as { defaults: Record<string, unknown>; stores: Array<Record<string, unknown>> };
    expect(config.defaults).toMatchObject({ intervalSeconds: 5, timeoutMs: 300 });
    expect(config.defaults.failover).toMatchObject({ mode: 'manual', thresholdSeconds: 30, cooldownSeconds: 3600 });
    expect(config.stores[0]).toMatchObject({ id, public: true, timezone: 'UTC' });
  });

  it('rejects an invalid config with every problem and its path, and keeps the config in force', async () => {
    const api = client();
    const id = unique('st');
    await api.putConfig(fleetConfig([storeConfig(id)]));
    const bad = fleetConfig([storeConfig(id), { ...storeConfig('BAD ID'), nodes: [{ id: 'x', url: 'ftp://nope' }] }]);
    (bad.defaults as Record<string, unknown>).intervalSeconds = 0;
    const res = await api.putConfig(bad);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('invalid_config');
    const paths = body.error.details.map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['defaults.intervalSeconds', 'stores[1].id', 'stores[1].nodes[0].url', 'stores[1].nodes']),
    );
    const got = (await (await api.call('/api/v1/config', { token: 'admin' })).json()) as { stores: unknown[] };
    expect(got.stores).toHaveLength(1);
  });

  it('rejects duplicate store ids with the path of the duplicate', async () => {
    const api = client();
    const id = unique('st');
    const res = await api.putConfig(fleetConfig([storeConfig(id), storeConfig(id)]));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: Array<{ path: string; message: string }> } };
    expect(body.error.details).toContainEqual({ path: 'stores[1].id', message: `duplicate store id "${id}"` });
  });

  it('answers malformed JSON with 400 and an empty body with 400', async () => {
    const api = client();
    const malformed = await api.call('/api/v1/config', { method: 'PUT', token: 'admin', body: '{"version": 1,' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    const empty = await api.call('/api/v1/config', { method: 'PUT', token: 'admin', body: '' });
    expect(empty.status).toBe(400);
  });

  it('answers a body over 1 MiB with 413, whether or not Content-Length says so', async () => {
    const api = client();
    const big = JSON.stringify({ version: 1, stores: [], pad: 'x'.repeat(1024 * 1024) });
    const declared = await api.call('/api/v1/config', { method: 'PUT', token: 'admin', body: big });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await api.call('/api/v1/config', {
      method: 'PUT',
      token: 'admin',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('needs the admin role: none 401, viewer and operator 403', async () => {
    const api = client();
    const body = JSON.stringify(fleetConfig([]));
    expect((await api.call('/api/v1/config', { method: 'PUT', body })).status).toBe(401);
    expect((await api.call('/api/v1/config', { method: 'PUT', body, token: 'viewer' })).status).toBe(403);
    expect((await api.call('/api/v1/config', { method: 'PUT', body, token: 'operator' })).status).toBe(403);
    expect((await api.call('/api/v1/config', { token: 'operator' })).status).toBe(403);
  });

  it('GET before any PUT says there is no config yet', async () => {
    const res = await client().call('/api/v1/config', { token: 'admin' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no_config');
  });
});

describe('PUT /api/v1/config: the secrets and bindings a config names', () => {
  it('rejects names this Worker does not have, each with its path, and keeps the config in force', async () => {
    const api = client();
    const id = unique('st');
    await api.putConfig(fleetConfig([storeConfig(id)]));
    const res = await api.putConfig({
      ...fleetConfig([
        storeConfig(id, { jobs: [{ id: 'sync', schedule: '*/10 * * * *', tokenSecret: 'NO_SUCH_TOKEN' }] }),
      ]),
      alerts: {
        channels: [
          { id: 'slack', type: 'slack', urlSecret: 'NO_SUCH_SLACK_URL' },
          { id: 'hook', type: 'webhook', url: 'https://example.com/alerts', secret: 'ALERT_WEBHOOK_SECRET' },
          { id: 'mail', type: 'email', from: 'mw@example.com', to: ['ops@example.com'] },
          {
            id: 'sms',
            type: 'sms',
            url: 'https://sms.example.com/send',
            headers: { Authorization: 'Bearer {{secret:NO_SUCH_SMS_KEY}}' },
            body: '{"to":"{{to}}","text":"{{text}}"}',
            to: ['+8613800000000'],
          },
        ],
        routes: [{ channels: ['slack', 'hook', 'mail', 'sms'] }],
      },
      deadMan: { urlSecret: 'NO_SUCH_DEADMAN' },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: Array<{ path: string; message: string }> } };
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'alerts.channels[0].urlSecret', message: expect.stringContaining('NO_SUCH_SLACK_URL') },
        { path: 'alerts.channels[2].binding', message: expect.stringContaining('ALERT_EMAIL') },
        { path: 'alerts.channels[3].headers.Authorization', message: expect.stringContaining('NO_SUCH_SMS_KEY') },
        { path: 'deadMan.urlSecret', message: expect.stringContaining('NO_SUCH_DEADMAN') },
        { path: 'stores[0].jobs[0].tokenSecret', message: expect.stringContaining('NO_SUCH_TOKEN') },
      ]),
    );
    expect(body.error.details).toHaveLength(5); // ALERT_WEBHOOK_SECRET exists
    const got = (await (await api.call('/api/v1/config', { token: 'admin' })).json()) as Record<string, unknown>;
    expect(got.alerts).toBeUndefined();
  });

  it('rejects a bad schedule and an unknown channel with their paths', async () => {
    const api = client();
    const id = unique('st');
    const res = await api.putConfig({
      ...fleetConfig([storeConfig(id, { jobs: [{ id: 'sync', schedule: '*/10 25 * * *' }] })]),
      alerts: { channels: [], routes: [{ channels: ['pager'] }] },
      maintenance: [{ id: 'w', stores: [id], cron: 'every night', durationMinutes: 30 }],
    });
    expect(res.status).toBe(422);
    const paths = ((await res.json()) as { error: { details: Array<{ path: string }> } }).error.details.map(
      (d) => d.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining(['stores[0].jobs[0].schedule', 'alerts.routes[0].channels[0]', 'maintenance[0].cron']),
    );
  });
});
