import { describe, expect, it } from 'vitest';
import { channelSecretNames, channelSecrets, channelsFor, sendsTo } from '#shared/alerts/routing.ts';
import { AlertChannel, AlertSettings } from '#shared/schemas/alerting.ts';

const channel = (input: unknown) => AlertChannel.parse(input);

const ENV = {
  ADMIN_TOKEN: 'admin',
  OPERATOR_TOKEN: 'op',
  VIEWER_TOKEN: 'view',
  WEBHOOK_SECRET: 'wh-master',
  HOOK_SECRET: 'hook-master',
  SLACK_URL: 'https://hooks.slack.example/T/B/x',
  DING_URL: 'https://oapi.dingtalk.example/robot/send?access_token=x',
  DING_SIGN: 'SECxyz',
  SMS_KEY: 'sms-key',
  SMS_USER: 'sms-user',
  PAGER_SECRET: 'pager',
  ALERT_EMAIL: { send: 'binding' },
};

describe('channelSecrets: a delivery gets only what its channel names', () => {
  it('a webhook channel gets its signing secret and nothing else', () => {
    const hook = channel({ id: 'p', type: 'webhook', url: 'https://pager.example', secret: 'PAGER_SECRET' });
    expect(channelSecrets(hook, ENV)).toEqual({ PAGER_SECRET: 'pager' });
  });

  it('a robot channel gets its URL and signing secrets', () => {
    const ding = channel({ id: 'd', type: 'dingtalk', urlSecret: 'DING_URL', signSecret: 'DING_SIGN' });
    expect(channelSecrets(ding, ENV)).toEqual({ DING_URL: ENV.DING_URL, DING_SIGN: 'SECxyz' });
    expect(channelSecrets(channel({ id: 's', type: 'slack', urlSecret: 'SLACK_URL' }), ENV)).toEqual({
      SLACK_URL: ENV.SLACK_URL,
    });
  });

  it('an SMS channel gets the secrets its templates name, in the URL, headers and body', () => {
    const sms = channel({
      id: 'sms',
      type: 'sms',
      url: 'https://sms.example/send?key={{secret:SMS_KEY}}',
      headers: { 'X-User': '{{ secret:SMS_USER }}' },
      body: '{"to":"{{to}}","text":"{{text}}"}',
      to: ['+8613800000000'],
    });
    expect(channelSecrets(sms, ENV)).toEqual({ SMS_KEY: 'sms-key', SMS_USER: 'sms-user' });
    expect(channelSecretNames(sms)).toEqual([
      { field: 'url', name: 'SMS_KEY' },
      { field: 'headers.X-User', name: 'SMS_USER' },
    ]);
  });

  it('an email channel gets its binding only', () => {
    const mail = channel({ id: 'm', type: 'email', from: 'mw@example.com', to: ['ops@example.com'] });
    expect(channelSecrets(mail, ENV)).toEqual({ ALERT_EMAIL: ENV.ALERT_EMAIL });
  });

  it("never hands out the Worker's own credentials, even when a channel names one", () => {
    const sneaky = channel({
      id: 'x',
      type: 'sms',
      url: 'https://evil.example/?a={{secret:WEBHOOK_SECRET}}&b={{secret:ADMIN_TOKEN}}',
      to: ['+8613800000000'],
    });
    expect(channelSecrets(sneaky, ENV)).toEqual({});
    const hook = channel({ id: 'h', type: 'webhook', url: 'https://evil.example', secret: 'HOOK_SECRET' });
    expect(channelSecrets(hook, ENV)).toEqual({});
  });
});

describe('severity routing', () => {
  it('a channel gets what is at or above its minimum severity', () => {
    expect(sendsTo({ minSeverity: 'warning' }, 'info')).toBe(false);
    expect(sendsTo({ minSeverity: 'warning' }, 'warning')).toBe(true);
    expect(sendsTo({ minSeverity: 'warning' }, 'critical')).toBe(true);
    expect(sendsTo({ minSeverity: 'critical' }, 'warning')).toBe(false);
    expect(sendsTo({ minSeverity: 'info' }, 'info')).toBe(true);
  });

  it('a channel on several routes that cover the store takes the lowest minimum of them', () => {
    const alerts = AlertSettings.parse({
      channels: [{ id: 'ops', type: 'slack', urlSecret: 'SLACK_URL' }],
      routes: [
        { channels: ['ops'], minSeverity: 'critical' },
        { channels: ['ops'], regions: ['south'], minSeverity: 'info' },
        { channels: ['ops'], stores: ['bj'], minSeverity: 'warning' },
      ],
    });
    expect(channelsFor(alerts, { id: 'gz', region: 'south' }).map((c) => c.minSeverity)).toEqual(['info']);
    expect(channelsFor(alerts, { id: 'bj', region: 'north' }).map((c) => c.minSeverity)).toEqual(['warning']);
    expect(channelsFor(alerts, { id: 'nyc' }).map((c) => c.minSeverity)).toEqual(['critical']);
  });
});
