/**
 * The demo as a new user drives it, against the worker under `wrangler dev` and the simulated
 * fleet: crash a primary, let it fail over, reset the store, restart the whole demo. Every store
 * must end healthy, with no fence sent to a healthy primary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '#harness/live-worker.ts';
import { type SimStack, startSimStack } from '#harness/sim-stack.ts';
import { runFaultCommand } from '#scripts/demo/fault-command.ts';
import { type StoreStatus, StoreStatus as StoreStatusSchema } from '#shared/schemas/status.ts';
import { demoStoreSpecs } from '#sim/demo-fleet.ts';

const specs = demoStoreSpecs({ stores: 3 });
const S = specs[0]?.id ?? '';
let stack: SimStack;

beforeAll(async () => {
  stack = await startSimStack(specs, {
    intervalSeconds: 1,
    timeoutMs: 1000,
    // A lease that fits (lease + interval + timeout below the threshold: contract section 6).
    failover: { mode: 'manual', thresholdSeconds: 4, leaseSeconds: 1, maxLagSeconds: 30, cooldownSeconds: 3600 },
  });
});
afterAll(() => stack?.close());

async function stores(): Promise<StoreStatus[]> {
  const res = await fetch(`${stack.base}/api/v1/stores`, {
    headers: { authorization: `Bearer ${stack.secrets.VIEWER_TOKEN}` },
  });
  if (!res.ok) throw new Error(`GET /api/v1/stores answered ${res.status}`);
  const body = (await res.json()) as { stores: unknown[] };
  return body.stores.map((s) => StoreStatusSchema.parse(s));
}

const brief = (list: StoreStatus[]) => list.map((s) => `${s.id} ${s.status} e${s.epoch}: ${s.reasons[0] ?? ''}`);
const allHealthy = (what: string) =>
  waitFor(
    what,
    async () => brief(await stores()),
    (l) => l.length === specs.length && l.every((s) => / healthy /.test(s)),
    60_000,
  );

/** `npm run demo:fault -- <store> …` as the demo runs it: one line out, nothing on stderr. */
async function fault(...args: string[]): Promise<string> {
  const out = await runFaultCommand([S, ...args], { url: stack.simUrl, controlToken: stack.controlToken });
  expect(out).toMatchObject({ code: 0, stderr: '' });
  expect(out.stdout.trim().split('\n')).toHaveLength(1);
  return out.stdout;
}

describe('the demo recovers', () => {
  it('crash → failover → reset, then a restart of the whole demo: every store healthy', async () => {
    await allHealthy('every store healthy at start');
    const epoch = (await stack.control.store(S)).epoch;

    expect(await fault('crash')).toMatch(new RegExp(`^crash → ${S} at epoch ${epoch}: ${S}-a primary \\(crashed\\)`));
    const failedOver = await waitFor(
      'the crashed store failed over',
      async () => (await stores()).find((s) => s.id === S),
      (s) => s?.status === 'degraded' && s.epoch === epoch + 1,
      60_000,
    );
    expect(failedOver?.primary).toBe(`${S}-b`);

    expect(await fault('reset')).toBe(`reset → ${S} at epoch ${epoch + 1}: ${S}-a standby, ${S}-b primary\n`);
    await allHealthy('every store healthy after the reset');
    expect((await stores()).find((s) => s.id === S)).toMatchObject({ primary: `${S}-b`, epoch: epoch + 1 });

    await stack.control.clearActions();
    await stack.restart();
    await allHealthy('every store healthy after a restart');
    // A restarted demo fences nobody: the simulator came back as the monitors left it.
    expect((await stack.control.actions()).filter((a) => a.action === 'fence')).toEqual([]);
  });
});
