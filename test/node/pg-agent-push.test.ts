/**
 * Push mode (agent/push.ts) against a local receiver that checks signatures as the worker does
 * (contract v2 section 4): with the key of the principal the request names, recomputed here with
 * node:crypto from the master only the receiver holds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startPushLoop } from '#agent/push.ts';
import { freePort } from '#harness/pg-cluster.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const HOOK_SECRET = 'push-hook-secret';
const STORE = 'gz-tianhe';
const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
/** `key(HOOK_SECRET, store, principal)`, as the worker derives it. */
const keyOf = (principal: string) => hex(HOOK_SECRET, `mirrorwatch-key/v2\n${STORE}\n${principal}`);
const PUSH_KEY = keyOf('gz-tianhe-b');

interface Received {
  valid: boolean;
  principal: string | undefined;
  report: AgentReport | null;
}

function verify(
  principal: string | undefined,
  timestamp: string | undefined,
  signature: string | undefined,
  body: string,
) {
  if (!principal || !timestamp || !signature || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = Buffer.from(`v1=${hex(keyOf(principal), `${timestamp}.${body}`)}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

let server: Server | null = null;

async function receiver(status = () => 202) {
  const received: Received[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += String(chunk);
    });
    req.on('end', async () => {
      const principal = req.headers['x-mirrorwatch-principal']?.toString();
      const valid = verify(
        principal,
        req.headers['x-mirrorwatch-timestamp']?.toString(),
        req.headers['x-mirrorwatch-signature']?.toString(),
        body,
      );
      const parsed = AgentReport.safeParse(JSON.parse(body));
      received.push({ valid, principal, report: parsed.success ? parsed.data : null });
      const code = valid ? status() : 401;
      res.writeHead(code, { 'content-type': 'application/json' }).end(code < 300 ? '{"ok":true}' : '{"error":{}}');
    });
  });
  const listening = server;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const address = listening.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { received, url: `http://127.0.0.1:${port}/hooks/v1/agent/gz-tianhe` };
}

afterEach(async () => {
  const s = server;
  server = null;
  if (s) await new Promise((resolve) => s.close(resolve));
});

const report = async (): Promise<AgentReport> => ({
  node: 'gz-tianhe-b',
  role: 'standby',
  epoch: 2,
  healthy: true,
  time: new Date().toISOString(),
  replication: { state: 'streaming', primaryReachable: true, lagSeconds: 0.1 },
});

async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('push loop', () => {
  it('an arbiter pushes as "arbiter" with the arbiter key; a key of another principal is refused', async () => {
    const { received, url } = await receiver();
    const arbiter = startPushLoop({
      url,
      key: keyOf('arbiter'),
      principal: 'arbiter',
      intervalMs: 60_000,
      report,
      log: () => undefined,
    });
    expect(await arbiter.pushOnce()).toBe(true);
    await arbiter.stop();
    const forged = startPushLoop({
      url,
      key: PUSH_KEY,
      principal: 'gz-tianhe-a',
      intervalMs: 60_000,
      report,
      log: () => undefined,
    });
    expect(await forged.pushOnce()).toBe(false);
    await forged.stop();
    expect(received.map((r) => [r.principal, r.valid])).toEqual([
      ['arbiter', true],
      ['arbiter', true],
      ['gz-tianhe-a', false],
      ['gz-tianhe-a', false],
    ]);
  });

  it('sends the report on every tick, signed with its own push key and naming its principal', async () => {
    const { received, url } = await receiver();
    const logs: string[] = [];
    const loop = startPushLoop({
      url,
      key: PUSH_KEY,
      principal: 'gz-tianhe-b',
      intervalMs: 30,
      report,
      log: (l) => logs.push(l),
    });
    await until('three pushes', () => received.length >= 3);
    await loop.stop();
    const count = received.length;
    expect(received.every((r) => r.valid && r.principal === 'gz-tianhe-b' && r.report?.node === 'gz-tianhe-b')).toBe(
      true,
    );
    await new Promise((r) => setTimeout(r, 80));
    expect(received.length).toBe(count);
    expect(logs).toEqual([]);
  });

  it('logs what failed and where, keeps going, and says when it works again', async () => {
    let answer = 401;
    const { received, url } = await receiver(() => answer);
    const logs: string[] = [];
    let reportFails = false;
    const loop = startPushLoop({
      url,
      key: PUSH_KEY,
      principal: 'gz-tianhe-b',
      intervalMs: 60_000,
      report: async () => {
        if (reportFails) throw new Error('database query timed out');
        return report();
      },
      log: (l) => logs.push(l),
    });
    await until('first push', () => received.length === 1);
    await until('first failure logged', () => logs.length === 1);
    expect(logs[0]).toBe(`push to ${url} failed: HTTP 401 {"error":{}}`);
    reportFails = true;
    expect(await loop.pushOnce()).toBe(false);
    expect(logs[1]).toBe(`push to ${url} skipped: the report failed: database query timed out`);
    reportFails = false;
    answer = 202;
    expect(await loop.pushOnce()).toBe(true);
    expect(logs[2]).toBe(`push to ${url} works again`);
    await loop.stop();
  });

  it('a receiver that is gone is logged, never thrown', async () => {
    const url = `http://127.0.0.1:${await freePort()}/hooks/v1/agent/gz-tianhe`;
    const logs: string[] = [];
    const loop = startPushLoop({
      url,
      key: PUSH_KEY,
      principal: 'gz-tianhe-b',
      intervalMs: 60_000,
      report,
      log: (l) => logs.push(l),
    });
    expect(await loop.pushOnce()).toBe(false);
    await loop.stop();
    expect(logs[0]).toMatch(new RegExp(`^push to ${url} failed: fetch failed: .*ECONNREFUSED`));
  });
});
