/** Push mode (agent/push.ts) against a local receiver that checks signatures as the worker does. */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startPushLoop } from '#agent/push.ts';
import { freePort } from '#harness/pg-cluster.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { verifySignature } from '#shared/signature.ts';

const HOOK_SECRET = 'push-hook-secret';

interface Received {
  valid: boolean;
  report: AgentReport | null;
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
      const verdict = await verifySignature({
        secret: HOOK_SECRET,
        timestampHeader: req.headers['x-mirrorwatch-timestamp']?.toString(),
        signatureHeader: req.headers['x-mirrorwatch-signature']?.toString(),
        rawBody: body,
        nowMs: Date.now(),
      });
      const parsed = AgentReport.safeParse(JSON.parse(body));
      received.push({ valid: verdict.ok, report: parsed.success ? parsed.data : null });
      const code = verdict.ok ? status() : 401;
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
  it('sends the report on every tick, signed with HOOK_SECRET', async () => {
    const { received, url } = await receiver();
    const logs: string[] = [];
    const loop = startPushLoop({ url, secret: HOOK_SECRET, intervalMs: 30, report, log: (l) => logs.push(l) });
    await until('three pushes', () => received.length >= 3);
    await loop.stop();
    const count = received.length;
    expect(received.every((r) => r.valid && r.report?.node === 'gz-tianhe-b')).toBe(true);
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
      secret: HOOK_SECRET,
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
    const loop = startPushLoop({ url, secret: HOOK_SECRET, intervalMs: 60_000, report, log: (l) => logs.push(l) });
    expect(await loop.pushOnce()).toBe(false);
    await loop.stop();
    expect(logs[0]).toMatch(new RegExp(`^push to ${url} failed: fetch failed: .*ECONNREFUSED`));
  });
});
