/**
 * A lease in the answer to a push (contract section 6) reaches the self-fence keeper through the
 * push loop and the lease intake, verified with the node's own action key; a forged one does not.
 */
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { leaseIntake } from '#agent/lease/lease-intake.ts';
import { type SelfFenceHost, SelfFenceKeeper } from '#agent/lease/self-fence-keeper.ts';
import { startPushLoop } from '#agent/push.ts';
import type { AgentReport } from '#shared/schemas/report.ts';

const STORE = 'gz-tianhe';
const NODE = 'gz-tianhe-a';
const ACTION_KEY = 'd'.repeat(64);
const EPOCH = 5;

let server: Server | null = null;
afterEach(async () => {
  const s = server;
  server = null;
  if (s) await new Promise((resolve) => s.close(resolve));
});

/** A worker stand-in that answers every push with `body`. */
async function worker(body: unknown): Promise<string> {
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const address = s.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/v1/agent/${STORE}`;
}

const host: SelfFenceHost = {
  current: () => ({ epoch: EPOCH, fenced: false, selfFenced: false }),
  observe: async () => null,
  fenceSelf: async () => undefined,
  liftSelfFence: async () => undefined,
};

const report = async (): Promise<AgentReport> => ({
  node: NODE,
  role: 'primary',
  epoch: EPOCH,
  healthy: true,
  time: new Date().toISOString(),
});

async function pushWithAnswer(signWith: string) {
  const ts = Math.floor(Date.now() / 1000);
  const mac = createHmac('sha256', signWith).update(`${ts}.lease.${STORE}.${NODE}.${EPOCH}.12`).digest('hex');
  const url = await worker({
    accepted: true,
    lease: { epoch: EPOCH, seconds: 12, timestamp: ts, signature: `v1=${mac}` },
  });
  const logs: string[] = [];
  const keeper = new SelfFenceKeeper({ host, enabled: true, leaseSeconds: 15, pollMs: 1000, log: (l) => logs.push(l) });
  const intake = leaseIntake({ keys: [ACTION_KEY], store: STORE, node: NODE, keeper, log: (l) => logs.push(l) });
  const loop = startPushLoop({
    url,
    key: 'e'.repeat(64),
    principal: NODE,
    intervalMs: 60_000,
    report,
    onAnswer: (body) => intake.fromPushAnswer(body, 'push answer'),
    log: (l) => logs.push(l),
  });
  expect(await loop.pushOnce()).toBe(true);
  await loop.stop();
  return { keeper, intake, logs };
}

describe('a lease in a push answer', () => {
  it('is taken when signed with the node action key, and shows in the next report', async () => {
    const { keeper, intake } = await pushWithAnswer(ACTION_KEY);
    expect(keeper.leaseReport(EPOCH)).toMatchObject({ epoch: EPOCH });
    expect(intake.decorate(await report()).lease).toMatchObject({ epoch: EPOCH });
  });

  it('is ignored with a log line when signed with another key, and the push still counts as done', async () => {
    const { keeper, logs } = await pushWithAnswer('c'.repeat(64));
    expect(keeper.leaseReport(EPOCH)).toBeNull();
    expect(logs.some((l) => l.includes('lease in the push answer') || l.includes('ignored'))).toBe(true);
  });
});
