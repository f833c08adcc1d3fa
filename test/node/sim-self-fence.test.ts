/**
 * Leases and self-fencing in the simulator (contract section 6), with the agent's own pure
 * decision: driven through FleetSim with a fake clock, and one lease through the node's health
 * endpoint, signed as the monitor signs it.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, probe, startHarness, WEBHOOK_SECRET } from '#harness/sim-harness.ts';
import { deriveKey } from '#shared/keys.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { demoStoreSpecs } from '#sim/demo-fleet.ts';
import { FleetSim } from '#sim/fleet-sim.ts';

const S = 'gz-tianhe';
const A = 'gz-tianhe-a';
const B = 'gz-tianhe-b';
const L = 10;

function fleet(selfFence: { leaseSeconds: number } | null = { leaseSeconds: L }) {
  let now = Date.parse('2026-11-21T05:00:00.000Z');
  const logs: string[] = [];
  const sim = new FleetSim(demoStoreSpecs({ stores: 8 }), {
    now: () => now,
    promoteDelayMs: 0,
    selfFence,
    log: (l) => logs.push(l),
  });
  const report = (id: string) => sim.nodeReport(S, id);
  return { sim, logs, report, advance: (ms: number) => (now += ms), epoch: () => sim.state(S).epoch };
}

describe('self-fencing in the simulated fleet', () => {
  it('an isolated primary with no lease fences itself once L has passed since its standby last replied', () => {
    const f = fleet();
    f.sim.inject(S, { fault: 'isolate' });
    f.advance(L * 1000 - 1);
    expect(f.report(A)).toMatchObject({ role: 'primary', healthy: true });
    f.advance(1);
    expect(f.report(A)).toMatchObject({ fenced: true, selfFenced: true });
    expect(f.sim.state(S).activeHolder).toBeNull();
    expect(f.logs.some((l) => l.includes(`${S}/${A} fenced itself`))).toBe(true);
  });

  it('the standby of an isolated primary reports how long ago it last had contact', () => {
    const f = fleet();
    f.sim.inject(S, { fault: 'isolate' });
    f.advance(4000);
    expect(f.report(B).replication).toMatchObject({ state: 'disconnected', primaryContactAgeSeconds: 4 });
  });

  it('a WAN cut alone never fences the primary: its standby still streams', () => {
    const f = fleet();
    f.sim.inject(S, { fault: 'wan-cut' });
    for (let i = 0; i < 10; i++) f.advance(L * 1000);
    expect(f.report(A)).toMatchObject({ role: 'primary', healthy: true });
    expect(f.report(A).fenced).toBeUndefined();
  });

  it('a lease at its epoch keeps an isolated primary writable for its seconds, and lifts a self-fence; an older one does not', () => {
    const f = fleet();
    const epoch = f.epoch();
    f.sim.inject(S, { fault: 'isolate' });
    f.advance(L * 1000);
    expect(f.report(A)).toMatchObject({ selfFenced: true });
    f.advance(1);
    f.sim.takeLease(S, A, { epoch: epoch - 1, seconds: L });
    expect(f.report(A)).toMatchObject({ selfFenced: true });
    f.sim.takeLease(S, A, { epoch, seconds: L });
    expect(f.report(A)).toMatchObject({ role: 'primary', healthy: true });
    f.advance(L * 1000);
    expect(f.report(A)).toMatchObject({ selfFenced: true });
  });

  it("never lifts the monitor's fence", () => {
    const f = fleet();
    const next = f.epoch() + 1;
    f.sim.fence(S, A, next);
    f.sim.takeLease(S, A, { epoch: next, seconds: L });
    expect(f.report(A)).toMatchObject({ fenced: true, selfFenced: false });
  });

  it('with self-fencing off (the default until the monitor sends leases), an isolated primary keeps serving', () => {
    const f = fleet(null);
    f.sim.inject(S, { fault: 'isolate' });
    f.advance(10 * L * 1000);
    expect(f.report(A)).toMatchObject({ role: 'primary', healthy: true });
  });
});

describe('a lease on a simulated node probe', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ stores: 8, selfFence: { leaseSeconds: 1 } });
  });
  afterAll(() => h.close());

  it('is verified with the node key and kept; a forged one is logged and ignored', async () => {
    const key = await deriveKey(WEBHOOK_SECRET, S, A);
    const epoch = h.sim.state(S).epoch;
    const ts = Math.floor(Date.now() / 1000);
    const sign = (e: number, k = key) =>
      `v1=${createHmac('sha256', k).update(`${ts}.lease.${S}.${A}.${e}.30`).digest('hex')}`;
    const headers = (e: number, sig: string) => ({
      'x-mirrorwatch-lease': `epoch=${e}; seconds=30`,
      'x-mirrorwatch-timestamp': String(ts),
      'x-mirrorwatch-signature': sig,
    });
    const forged = await probe(`${h.nodeUrl(S, A)}/health`, { headers: headers(epoch, sign(epoch, 'f'.repeat(64))) });
    expect(forged).toMatchObject({ kind: 'answer', status: 200 });
    expect(h.logs.some((l) => l.includes(`${S}/${A}: lease epoch=${epoch} seconds=30 ignored`))).toBe(true);

    await h.control.inject(S, 'isolate', { node: B }); // the standby gone: only a lease holds A now
    const answer = await probe(`${h.nodeUrl(S, A)}/health`, { headers: headers(epoch, sign(epoch)) });
    expect(answer).toMatchObject({ kind: 'answer', status: 200 });
    const a = h.sim.requireNode(S, A).node;
    expect(a.lease).toMatchObject({ epoch, seconds: 30 });
    expect(AgentReport.parse(h.sim.nodeReport(S, A))).toMatchObject({ role: 'primary', healthy: true });
  });
});
