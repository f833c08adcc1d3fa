/**
 * Every alert channel against a real HTTP receiver on 127.0.0.1: the exact request each vendor
 * gets, signatures checked independently with node:crypto, and how answers, timeouts and missing
 * secrets turn into outcomes. Email goes through miniflare's own `send_email` binding (proxied into
 * Node by wrangler's getPlatformProxy), plus a stand-in for the coded errors only Cloudflare throws.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getPlatformProxy } from 'wrangler';
import { AlertMessage } from '#shared/schemas/alert.ts';
import { AlertChannel } from '#shared/schemas/alerting.ts';
import { verifySignature } from '#shared/signature.ts';
import { type DeliveryOutcome, deliverAlert } from '#worker/alerts/deliver.ts';
import { SMS_MAX_CHARS, smsText } from '#worker/alerts/sms-template.ts';

interface Received {
  method: string;
  path: string;
  /** The raw query string, with its leading "?". */
  search: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}
interface Reply {
  status: number;
  body?: string;
  /** Never answer: the sender's timeout must end the wait. */
  hang?: boolean;
}

const received: Received[] = [];
let reply: (request: Received, index: number) => Reply;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const request: Received = {
        method: req.method ?? '',
        path: url.pathname,
        search: url.search,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      const answer = reply(request, received.length - 1);
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  reply = () => ({ status: 200, body: 'ok' });
});

const NOW = Date.UTC(2026, 10, 20, 8, 1, 30, 123);

const message = AlertMessage.parse({
  kind: 'open',
  key: 'gz-tianhe/outage',
  storeId: 'gz-tianhe',
  storeName: 'Guangzhou Tianhe',
  region: 'south',
  condition: 'outage',
  severity: 'critical',
  title: 'CRITICAL Guangzhou Tianhe: primary down',
  text: 'Primary gz-tianhe-a has not answered for 90 s.\nStandby gz-tianhe-b is healthy <lag 0 B> & ready.',
  openedAt: '2026-11-20T08:00:00.000Z',
  at: '2026-11-20T08:01:30.123Z',
});

/** Every secret the channels read; each value is checked to never appear in an outcome's error. */
function secrets(): Record<string, string> {
  return {
    WEBHOOK_SIGNING: 'whsec-for-alert-tests-3f9a',
    SLACK_OPS_URL: `${base}/services/T0001/B0002/slacktoken1234567890`,
    TEAMS_URL: `${base}/workflows/teams-trigger-abcdef123456/invoke?sig=teamsig987654`,
    DINGTALK_URL: `${base}/robot/send?access_token=dingtoken0123456789abcdef`,
    DINGTALK_SIGN: 'SECdingsign0123456789abcdef',
    WECOM_URL: `${base}/cgi-bin/webhook/send?key=wecomkey-0000-1111-2222`,
    FEISHU_URL: `${base}/open-apis/bot/v2/hook/feishuhook-aaaa-bbbb-cccc`,
    FEISHU_SIGN: 'feishu-sign-secret-xyz',
    SMS_TOKEN: 'smstoken-7788-9900',
    SMS_KEY: 'sms-key "quoted" & more',
  };
}

/** No error may carry a secret value, a token from a secret URL, or any URL: viewers read them. */
function expectNothingSecret(outcome: DeliveryOutcome, env: Record<string, unknown>) {
  const error = outcome.error ?? '';
  for (const value of Object.values(env)) if (typeof value === 'string') expect(error).not.toContain(value);
  for (const token of ['slacktoken', 'teamsig', 'dingtoken', 'wecomkey', 'feishuhook', 'smstoken']) {
    expect(error).not.toContain(token);
  }
  expect(error).not.toMatch(/https?:\/\//);
}

async function send(
  channel: unknown,
  env: Record<string, unknown> = secrets(),
  options = { now: NOW, timeoutMs: 5_000 },
  alert: AlertMessage = message,
) {
  const outcome = await deliverAlert(AlertChannel.parse(channel), alert, env, options);
  expectNothingSecret(outcome, env);
  return outcome;
}

function only(): Received {
  expect(received).toHaveLength(1);
  const [request] = received;
  if (!request) throw new Error('no request received');
  return request;
}

const hmacBase64 = (key: string, data: string) => createHmac('sha256', key).update(data).digest('base64');

describe('webhook channel', () => {
  const channel = () => ({ id: 'hook', type: 'webhook', url: `${base}/hooks/alerts`, secret: 'WEBHOOK_SIGNING' });

  it('posts the AlertMessage itself, signed like an action, with the alert key', async () => {
    const outcome = await send(channel());
    expect(outcome).toEqual({ ok: true, status: 200, error: null, retryable: false });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/hooks/alerts', search: '' });
    expect(r.body).toBe(JSON.stringify(message));
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-mirrorwatch-alert-key']).toBe('gz-tianhe/outage');
    expect(r.headers['x-mirrorwatch-timestamp']).toBe(String(Math.floor(NOW / 1000)));
    const check = (secret: string) =>
      verifySignature({
        secret,
        timestampHeader: String(r.headers['x-mirrorwatch-timestamp']),
        signatureHeader: String(r.headers['x-mirrorwatch-signature']),
        rawBody: r.body,
        nowMs: NOW,
      });
    expect(await check('whsec-for-alert-tests-3f9a')).toMatchObject({ ok: true });
    expect(await check('some-other-secret')).toMatchObject({ ok: false, code: 'mismatch' });
  });

  it('refuses to send without its signing secret, naming it', async () => {
    const { WEBHOOK_SIGNING: _, ...env } = secrets();
    const outcome = await send(channel(), env);
    expect(outcome).toEqual({
      ok: false,
      status: null,
      retryable: false,
      error:
        'webhook channel "hook": the Worker secret WEBHOOK_SIGNING is not set (wrangler secret put WEBHOOK_SIGNING)',
    });
    expect(received).toHaveLength(0);
  });

  it('calls a refused connection retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await send({ ...channel(), url: `http://127.0.0.1:${port}/hooks` });
    expect(outcome).toMatchObject({ ok: false, status: null, retryable: true });
    expect(outcome.error).toMatch(/^webhook channel "hook": connection failed: /);
    expect(outcome.error).not.toContain(`127.0.0.1:${port}/hooks`);
  });
});

describe('slack channel', () => {
  const channel = { id: 'ops-slack', type: 'slack', urlSecret: 'SLACK_OPS_URL' };

  it('posts text and a mrkdwn section to the secret URL, escaping &, < and >', async () => {
    expect(await send(channel)).toEqual({ ok: true, status: 200, error: null, retryable: false });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/services/T0001/B0002/slacktoken1234567890' });
    expect(r.headers['content-type']).toBe('application/json');
    const detail =
      'Primary gz-tianhe-a has not answered for 90 s.\nStandby gz-tianhe-b is healthy &lt;lag 0 B&gt; &amp; ready.';
    expect(JSON.parse(r.body)).toEqual({
      text: `CRITICAL Guangzhou Tianhe: primary down\n${detail}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*CRITICAL Guangzhou Tianhe: primary down*\n${detail}` } },
      ],
    });
  });

  it('retries 500 and 429, not 400 or 404, and says which without the URL', async () => {
    const cases = [
      { status: 500, body: 'internal_error', retryable: true, error: 'HTTP 500: internal_error' },
      { status: 429, body: '', retryable: true, error: 'HTTP 429' },
      { status: 400, body: 'invalid_payload', retryable: false, error: 'HTTP 400: invalid_payload' },
      { status: 404, body: 'no_service', retryable: false, error: 'HTTP 404: no_service' },
    ];
    for (const c of cases) {
      reply = () => ({ status: c.status, body: c.body });
      expect(await send(channel)).toEqual({
        ok: false,
        status: c.status,
        retryable: c.retryable,
        error: `slack channel "ops-slack": ${c.error}`,
      });
    }
  });

  it('gives up after timeoutMs when the receiver never answers, as retryable', async () => {
    reply = () => ({ status: 200, hang: true });
    const started = Date.now();
    const outcome = await send(channel, secrets(), { now: NOW, timeoutMs: 200 });
    expect(outcome).toEqual({
      ok: false,
      status: null,
      retryable: true,
      error: 'slack channel "ops-slack": no answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('reads a bounded part of a huge answer and quotes at most a line of it', async () => {
    reply = () => ({ status: 503, body: 'overloaded '.repeat(200_000) });
    const outcome = await send(channel);
    expect(outcome).toMatchObject({ ok: false, status: 503, retryable: true });
    expect(outcome.error?.startsWith('slack channel "ops-slack": HTTP 503: overloaded overloaded')).toBe(true);
    expect(outcome.error?.length).toBeLessThan(300);
  });

  it('names a missing or malformed URL secret without quoting it', async () => {
    const { SLACK_OPS_URL: _, ...missing } = secrets();
    expect(await send(channel, missing)).toMatchObject({
      ok: false,
      retryable: false,
      error:
        'slack channel "ops-slack": the Worker secret SLACK_OPS_URL is not set (wrangler secret put SLACK_OPS_URL)',
    });
    const malformed = { ...secrets(), SLACK_OPS_URL: 'hooks.slack.com/services/T0001/B0002/notaurl' };
    expect(await send(channel, malformed)).toMatchObject({
      ok: false,
      retryable: false,
      error: 'slack channel "ops-slack": the Worker secret SLACK_OPS_URL is not an http(s) URL',
    });
    expect(received).toHaveLength(0);
  });
});

describe('teams channel', () => {
  it('posts an Adaptive Card message; 202 is delivered', async () => {
    reply = () => ({ status: 202 });
    expect(await send({ id: 'teams-ops', type: 'teams', urlSecret: 'TEAMS_URL' })).toEqual({
      ok: true,
      status: 202,
      error: null,
      retryable: false,
    });
    const r = only();
    expect(r).toMatchObject({
      method: 'POST',
      path: '/workflows/teams-trigger-abcdef123456/invoke',
      search: '?sig=teamsig987654',
    });
    expect(JSON.parse(r.body)).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'TextBlock',
                text: 'CRITICAL Guangzhou Tianhe: primary down',
                weight: 'Bolder',
                size: 'Medium',
                color: 'Attention',
                wrap: true,
              },
              {
                type: 'TextBlock',
                text: 'Primary gz-tianhe-a has not answered for 90 s.',
                wrap: true,
                spacing: 'None',
              },
              {
                type: 'TextBlock',
                text: 'Standby gz-tianhe-b is healthy <lag 0 B> & ready.',
                wrap: true,
                spacing: 'None',
              },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Store', value: 'Guangzhou Tianhe (south)' },
                  { title: 'Severity', value: 'critical' },
                  { title: 'Opened', value: '2026-11-20T08:00:00.000Z' },
                ],
              },
            ],
          },
        },
      ],
    });
  });
});

describe('dingtalk channel', () => {
  const channel = { id: 'dt', type: 'dingtalk', urlSecret: 'DINGTALK_URL' };
  const markdown = {
    msgtype: 'markdown',
    markdown: {
      title: 'CRITICAL Guangzhou Tianhe: primary down',
      text:
        '#### CRITICAL Guangzhou Tianhe: primary down\n\nPrimary gz-tianhe-a has not answered for 90 s.\n\n' +
        'Standby gz-tianhe-b is healthy <lag 0 B> & ready.',
    },
  };

  it('posts markdown to the robot URL, unsigned when no sign secret is configured', async () => {
    reply = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    expect(await send(channel)).toMatchObject({ ok: true, status: 200 });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/robot/send', search: '?access_token=dingtoken0123456789abcdef' });
    expect(JSON.parse(r.body)).toEqual(markdown);
  });

  it('signs with timestamp (ms) and the URL-encoded base64 HMAC of "timestamp\\nsecret"', async () => {
    reply = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    expect(await send({ ...channel, signSecret: 'DINGTALK_SIGN' })).toMatchObject({ ok: true });
    const r = only();
    const secret = 'SECdingsign0123456789abcdef';
    const sign = hmacBase64(secret, `${NOW}\n${secret}`);
    expect(r.search).toBe(`?access_token=dingtoken0123456789abcdef&timestamp=${NOW}&sign=${encodeURIComponent(sign)}`);
    expect(r.query.get('sign')).toBe(sign);
    expect(JSON.parse(r.body)).toEqual(markdown);
  });

  it('treats HTTP 200 with a non-zero errcode as a failure; only its rate limit is retried', async () => {
    reply = () => ({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' });
    expect(await send({ ...channel, signSecret: 'DINGTALK_SIGN' })).toEqual({
      ok: false,
      status: 200,
      retryable: false,
      error: 'dingtalk channel "dt": errcode 310000 (sign not match)',
    });
    reply = () => ({ status: 200, body: '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}' });
    expect(await send(channel)).toMatchObject({ ok: false, retryable: true });
    reply = () => ({ status: 200, body: '<html>captive portal</html>' });
    expect(await send(channel)).toMatchObject({ ok: false, retryable: false });
  });

  it('scrubs a token or URL the robot echoes back out of the error', async () => {
    const env = secrets();
    reply = () => ({
      status: 200,
      body: JSON.stringify({
        errcode: 300001,
        errmsg: `token dingtoken0123456789abcdef is not valid; called ${env.DINGTALK_URL}; see https://open.dingtalk.com/document/`,
      }),
    });
    const outcome = await send(channel, env);
    expect(outcome).toMatchObject({ ok: false, status: 200, retryable: false });
    expect(outcome.error).toBe(
      'dingtalk channel "dt": errcode 300001 (token [redacted] is not valid; called [redacted]; see [url])',
    );
  });

  it('names a missing sign secret', async () => {
    const { DINGTALK_SIGN: _, ...env } = secrets();
    expect((await send({ ...channel, signSecret: 'DINGTALK_SIGN' }, env)).error).toBe(
      'dingtalk channel "dt": the Worker secret DINGTALK_SIGN is not set (wrangler secret put DINGTALK_SIGN)',
    );
    expect(received).toHaveLength(0);
  });
});

describe('wecom channel', () => {
  const channel = { id: 'wecom-ops', type: 'wecom', urlSecret: 'WECOM_URL' };

  it('posts markdown content; errcode 0 is delivered, any other code a refusal', async () => {
    reply = () => ({ status: 200, body: '{"errcode":0,"errmsg":"ok"}' });
    expect(await send(channel)).toMatchObject({ ok: true, status: 200 });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/cgi-bin/webhook/send', search: '?key=wecomkey-0000-1111-2222' });
    expect(JSON.parse(r.body)).toEqual({
      msgtype: 'markdown',
      markdown: { content: `**CRITICAL Guangzhou Tianhe: primary down**\n${message.text}` },
    });
    reply = () => ({ status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' });
    expect(await send(channel)).toEqual({
      ok: false,
      status: 200,
      retryable: false,
      error: 'wecom channel "wecom-ops": errcode 93000 (invalid webhook url)',
    });
    reply = () => ({ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' });
    expect(await send(channel)).toMatchObject({ ok: false, retryable: true });
  });
});

describe('feishu channel', () => {
  const channel = { id: 'fs', type: 'feishu', urlSecret: 'FEISHU_URL', signSecret: 'FEISHU_SIGN' };

  it('posts text with timestamp (s) and the base64 HMAC keyed by "timestamp\\nsecret" over nothing', async () => {
    reply = () => ({ status: 200, body: '{"code":0,"data":{},"msg":"success"}' });
    expect(await send(channel)).toMatchObject({ ok: true, status: 200 });
    const r = only();
    expect(r).toMatchObject({ method: 'POST', path: '/open-apis/bot/v2/hook/feishuhook-aaaa-bbbb-cccc' });
    const timestamp = String(Math.floor(NOW / 1000));
    expect(JSON.parse(r.body)).toEqual({
      timestamp,
      sign: hmacBase64(`${timestamp}\nfeishu-sign-secret-xyz`, ''),
      msg_type: 'text',
      content: { text: `CRITICAL Guangzhou Tianhe: primary down\n${message.text}` },
    });
  });

  it('sends no signature fields without a sign secret, and reads the older StatusCode answer', async () => {
    reply = () => ({ status: 200, body: '{"StatusCode":0,"StatusMessage":"success"}' });
    expect(await send({ id: 'fs', type: 'feishu', urlSecret: 'FEISHU_URL' })).toMatchObject({ ok: true });
    expect(Object.keys(JSON.parse(only().body))).toEqual(['msg_type', 'content']);
  });

  it('treats a non-zero code as a failure; its rate limit is retried even on HTTP 400', async () => {
    reply = () => ({
      status: 200,
      body: '{"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"}',
    });
    expect(await send(channel)).toEqual({
      ok: false,
      status: 200,
      retryable: false,
      error: 'feishu channel "fs": code 19021 (sign match fail or timestamp is not within one hour from current time)',
    });
    reply = () => ({ status: 400, body: '{"code":99991400,"msg":"request trigger frequency limit"}' });
    expect(await send(channel)).toEqual({
      ok: false,
      status: 400,
      retryable: true,
      error: 'feishu channel "fs": HTTP 400: code 99991400 (request trigger frequency limit)',
    });
  });
});

describe('sms channel', () => {
  const tricky = AlertMessage.parse({
    ...message,
    storeName: 'Tianhe 天河 & Co',
    title: 'CRITICAL "Tianhe" \\ A&B=1: primary down',
    text: 'Primary a\tis down.\nSecond line is not sent.',
  });
  const expectedText = 'CRITICAL "Tianhe" \\ A&B=1: primary down\nPrimary a\tis down.';

  it('renders a JSON body per recipient, JSON-escaping values and percent-encoding the URL', async () => {
    const outcome = await send(
      {
        id: 'oncall-sms',
        type: 'sms',
        url: `${base}/sms/send?store={{store}}&sev={{severity}}`,
        headers: { Authorization: 'Bearer {{secret:SMS_TOKEN}}', 'X-Title': '{{title}}' },
        body: '{"to":"{{to}}","message":"{{text}}","apiKey":"{{ secret:SMS_KEY }}"}',
        to: ['+8613800000001', '+8613800000002'],
      },
      secrets(),
      { now: NOW, timeoutMs: 5_000 },
      tricky,
    );
    expect(outcome).toEqual({ ok: true, status: 200, error: null, retryable: false });
    expect(smsText(tricky)).toBe(expectedText);
    expect(received).toHaveLength(2);
    const recipients = ['+8613800000001', '+8613800000002'];
    received.forEach((r, i) => {
      expect(r).toMatchObject({ method: 'POST', path: '/sms/send' });
      expect(r.search).toBe('?store=Tianhe%20%E5%A4%A9%E6%B2%B3%20%26%20Co&sev=critical');
      expect(r.query.get('store')).toBe('Tianhe 天河 & Co');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers.authorization).toBe('Bearer smstoken-7788-9900');
      expect(r.headers['x-title']).toBe('CRITICAL "Tianhe" \\ A&B=1: primary down');
      expect(r.body).toContain('\\"Tianhe\\" \\\\ A&B=1: primary down\\nPrimary a\\tis down.');
      expect(JSON.parse(r.body)).toEqual({
        to: recipients[i],
        message: expectedText,
        apiKey: 'sms-key "quoted" & more',
      });
    });
  });

  it('percent-encodes values into a form body', async () => {
    const outcome = await send(
      {
        id: 'oncall-sms',
        type: 'sms',
        url: `${base}/sms/form`,
        contentType: 'application/x-www-form-urlencoded',
        body: 'to={{to}}&text={{text}}&key={{secret:SMS_KEY}}',
        to: ['+8613800000001'],
      },
      secrets(),
      { now: NOW, timeoutMs: 5_000 },
      tricky,
    );
    expect(outcome.ok).toBe(true);
    const r = only();
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(r.body))).toEqual({
      to: '+8613800000001',
      text: expectedText,
      key: 'sms-key "quoted" & more',
    });
  });

  it('sends GET with everything in the URL and no body', async () => {
    const outcome = await send(
      {
        id: 'oncall-sms',
        type: 'sms',
        method: 'GET',
        url: `${base}/sms/get?to={{to}}&text={{text}}&key={{secret:SMS_TOKEN}}`,
        to: ['+8613800000001', '+8613800000002'],
      },
      secrets(),
      { now: NOW, timeoutMs: 5_000 },
      tricky,
    );
    expect(outcome.ok).toBe(true);
    expect(received.map((r) => [r.method, r.query.get('to'), r.query.get('text'), r.query.get('key'), r.body])).toEqual(
      [
        ['GET', '+8613800000001', expectedText, 'smstoken-7788-9900', ''],
        ['GET', '+8613800000002', expectedText, 'smstoken-7788-9900', ''],
      ],
    );
    expect(received[0]?.headers['content-type']).toBeUndefined();
  });

  it('fails the channel when one recipient fails, without naming the number', async () => {
    reply = (_r, index) => (index === 1 ? { status: 502, body: 'bad gateway' } : { status: 200 });
    const outcome = await send({
      id: 'oncall-sms',
      type: 'sms',
      url: `${base}/sms/send`,
      body: '{"to":"{{to}}","message":"{{text}}"}',
      to: ['+8613800000001', '+8613800000002'],
    });
    expect(outcome).toEqual({
      ok: false,
      status: 502,
      retryable: true,
      error: 'sms channel "oncall-sms": 1 of 2 recipients failed; recipient 2: HTTP 502: bad gateway',
    });
    expect(received).toHaveLength(2);
  });

  it('names a missing {{secret:NAME}} and sends nothing', async () => {
    const { SMS_KEY: _, ...env } = secrets();
    const outcome = await send(
      { id: 'oncall-sms', type: 'sms', url: `${base}/sms`, body: '{"k":"{{secret:SMS_KEY}}"}', to: ['+8613800000001'] },
      env,
    );
    expect(outcome).toEqual({
      ok: false,
      status: null,
      retryable: false,
      error: 'sms channel "oncall-sms": the Worker secret SMS_KEY is not set (wrangler secret put SMS_KEY)',
    });
    expect(received).toHaveLength(0);
  });

  it('keeps the text to a page: the title and the first line, at most 300 characters', () => {
    const long = AlertMessage.parse({ ...message, title: 'T'.repeat(250), text: `${'x'.repeat(400)}\nmore` });
    const text = smsText(long);
    expect(Array.from(text)).toHaveLength(SMS_MAX_CHARS);
    expect(text.startsWith(`${'T'.repeat(250)}\nxxx`)).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(smsText({ ...message, text: `${message.title}\nnothing else` })).toBe(`${message.title}\nnothing else`);
  });
});

interface Sender {
  send(email: unknown): Promise<unknown>;
}
const isSender = (value: unknown): value is Sender =>
  typeof value === 'object' && value !== null && 'send' in value && typeof value.send === 'function';

describe('email channel', () => {
  const channel = {
    id: 'mail',
    type: 'email',
    from: 'alerts@example.com',
    to: ['oncall@example.com', 'dba@example.com'],
  };
  const expectedEmail = {
    from: 'alerts@example.com',
    to: ['oncall@example.com', 'dba@example.com'],
    subject: 'CRITICAL Guangzhou Tianhe: primary down',
    text:
      `${message.text}\n\nStore: Guangzhou Tianhe (south)\nSeverity: critical\nCondition: outage\n` +
      'Opened: 2026-11-20T08:00:00.000Z\n',
  };
  let dir = '';
  let platform: Awaited<ReturnType<typeof getPlatformProxy<Record<string, unknown>>>>;

  beforeAll(async () => {
    // A throwaway Wrangler config with one send_email binding: miniflare's local implementation,
    // which enforces allowed_sender_addresses like Cloudflare does.
    dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-alert-email-'));
    const config = {
      name: 'alert-email-test',
      compatibility_date: '2026-11-01',
      send_email: [{ name: 'ALERT_EMAIL', allowed_sender_addresses: ['alerts@example.com'] }],
    };
    writeFileSync(join(dir, 'wrangler.json'), JSON.stringify(config));
    platform = await getPlatformProxy<Record<string, unknown>>({
      configPath: join(dir, 'wrangler.json'),
      persist: false,
      remoteBindings: false,
      envFiles: [],
    });
  }, 60_000);

  afterAll(async () => {
    await platform?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends through the real send_email binding with the builder form', async () => {
    const binding = platform.env.ALERT_EMAIL;
    if (!isSender(binding)) throw new Error('getPlatformProxy gave no ALERT_EMAIL send_email binding');
    const sent: unknown[] = [];
    // Records what goes in, then hands it to miniflare's binding, which validates and accepts it.
    const recording = {
      send: (email: unknown) => {
        sent.push(structuredClone(email));
        return binding.send(email);
      },
    };
    expect(await send(channel, { ALERT_EMAIL: recording })).toEqual({
      ok: true,
      status: null,
      error: null,
      retryable: false,
    });
    expect(sent).toEqual([expectedEmail]);
  });

  it('reports what the real binding refuses', async () => {
    const outcome = await send({ ...channel, from: 'intruder@example.com' }, platform.env);
    expect(outcome).toMatchObject({ ok: false, status: null });
    expect(outcome.error).toBe('email channel "mail": email from intruder@example.com not allowed');
  });

  it('says a missing binding is a config problem', async () => {
    expect(await send({ ...channel, binding: 'OPS_EMAIL' }, platform.env)).toEqual({
      ok: false,
      status: null,
      retryable: false,
      error:
        'email channel "mail": the Worker has no send_email binding named OPS_EMAIL ([[send_email]] in wrangler.toml)',
    });
  });

  // Stand-in bindings: the coded errors (`e.code`) only Cloudflare's Email Service throws, and a
  // binding that never answers, cannot be produced by miniflare's local implementation.
  it('classifies coded errors from the Email Service and bounds a send that never answers', async () => {
    const throwing = (code: string, words: string) => ({
      send: () => Promise.reject(Object.assign(new Error(words), { code })),
    });
    expect(
      await send(channel, { ALERT_EMAIL: throwing('E_SENDER_NOT_VERIFIED', 'Sender domain not verified') }),
    ).toEqual({
      ok: false,
      status: null,
      retryable: false,
      error: 'email channel "mail": E_SENDER_NOT_VERIFIED: Sender domain not verified',
    });
    expect(await send(channel, { ALERT_EMAIL: throwing('E_RATE_LIMIT_EXCEEDED', 'slow down') })).toMatchObject({
      ok: false,
      retryable: true,
    });
    const silent = { send: () => new Promise(() => {}) };
    expect(await send(channel, { ALERT_EMAIL: silent }, { now: NOW, timeoutMs: 100 })).toEqual({
      ok: false,
      status: null,
      retryable: true,
      error: 'email channel "mail": no answer within 100 ms',
    });
  });
});
