import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentReport } from '#shared/schemas/report.ts';
import { demoStoreSpecs } from '#sim/demo-fleet.ts';
import { FleetSim } from '#sim/fleet-sim.ts';

const S = 'gz-tianhe';
const A = 'gz-tianhe-a';
const B = 'gz-tianhe-b';

function fleet(options: { promoteDelayMs?: number } = {}) {
  let now = Date.parse('2026-11-21T05:00:00.000Z');
  const logs: string[] = [];
  const sim = new FleetSim(demoStoreSpecs({ stores: 8 }), {
    now: () => now,
    promoteDelayMs: options.promoteDelayMs ?? 0,
    log: (l) => logs.push(l),
  });
  const node = (id: string) => {
    const n = sim.state(S).nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  };
  return { sim, logs, node, advance: (ms: number) => (now += ms), epoch: () => sim.state(S).epoch };
}

describe('FleetSim transitions', () => {
  it('promote makes the standby primary at the new epoch with no replication block', () => {
    const f = fleet();
    const next = f.epoch() + 1;
    f.sim.inject(S, { fault: 'crash', node: A });
    expect(f.sim.promote(S, B, next).state).toBe('completed');
    const report = AgentReport.parse(f.sim.nodeReport(S, B));
    expect(report).toMatchObject({ role: 'primary', epoch: next, healthy: true });
    expect(report.replication).toBeUndefined();
    expect(f.sim.state(S)).toMatchObject({ primary: B, activeHolder: B, epoch: next });
  });

  it('the old primary comes back fenced, not as a second primary', () => {
    const f = fleet();
    const next = f.epoch() + 1;
    f.sim.inject(S, { fault: 'crash', node: A });
    f.sim.promote(S, B, next);
    f.sim.inject(S, { fault: 'restore', node: A });
    const back = AgentReport.parse(f.sim.nodeReport(S, A));
    expect(back).toMatchObject({ role: 'unknown', fenced: true, healthy: false });
    expect(f.sim.state(S).activeHolder).toBe(B);
    expect(f.logs.some((l) => l.includes('came back as a stale primary'))).toBe(true);
    const arbiter = AgentReport.parse(f.sim.arbiterReport(S));
    expect(arbiter.sees).toEqual({ [A]: false, [B]: true });
    expect(arbiter.epoch).toBe(next);
  });

  it('fence stops writes and releases the active IP; the standby loses its stream', () => {
    const f = fleet();
    const next = f.epoch() + 1;
    expect(f.sim.fence(S, A, next).state).toBe('completed');
    expect(AgentReport.parse(f.sim.nodeReport(S, A))).toMatchObject({ role: 'unknown', fenced: true, epoch: next });
    expect(f.sim.state(S).activeHolder).toBeNull();
    expect(f.sim.nodeReport(S, B).replication).toMatchObject({ state: 'disconnected', primaryReachable: false });
    f.sim.promote(S, B, next);
    expect(f.sim.state(S).activeHolder).toBe(B);
  });

  it('a live primary that is not fenced stays primary: split brain is visible', () => {
    const f = fleet();
    f.sim.inject(S, { fault: 'partition' });
    f.sim.promote(S, B, f.epoch() + 1);
    const roles = f.sim.state(S).nodes.map((n) => n.report?.role);
    expect(roles).toEqual(['primary', 'primary']);
  });

  it('reinstate turns a fenced node into a standby following the new primary', () => {
    const f = fleet();
    const next = f.epoch() + 1;
    f.sim.fence(S, A, next);
    f.sim.promote(S, B, next);
    f.sim.inject(S, { fault: 'reinstate', node: A });
    expect(f.sim.nodeReport(S, A)).toMatchObject({ role: 'standby', epoch: next, replication: { state: 'streaming' } });
  });

  it('flap alternates the primary down and up every period, by the model clock', () => {
    const f = fleet();
    f.sim.inject(S, { fault: 'flap', seconds: 10 });
    expect(f.node(A).down).toBe(true);
    f.advance(10_000);
    expect(f.node(A).down).toBe(false);
    f.advance(10_000);
    expect(f.node(A).down).toBe(true);
    expect(f.node(A).flapSeconds).toBe(10);
    f.sim.inject(S, { fault: 'restore' });
    expect(f.node(A)).toMatchObject({ down: false, flapSeconds: null });
  });

  it('a third standby (DR) follows the promoted node', () => {
    const f = fleet();
    const dr = demoStoreSpecs({ stores: 8 }).find((s) => s.nodes.length === 3);
    if (!dr) throw new Error('the demo fleet should have a store with three nodes');
    const [a, b, c] = dr.nodes.map((n) => n.id);
    if (!a || !b || !c) throw new Error('three node ids expected');
    const next = f.sim.state(dr.id).epoch + 1;
    f.sim.inject(dr.id, { fault: 'crash', node: a });
    expect(f.sim.nodeReport(dr.id, c).replication?.state).toBe('disconnected');
    f.sim.promote(dr.id, b, next);
    expect(f.sim.nodeReport(dr.id, c)).toMatchObject({ epoch: next, replication: { state: 'streaming' } });
  });

  describe('delayed promotions (on fake timers: the delay is a setTimeout)', () => {
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('a delayed promotion is pending, then applied; reset cancels it', () => {
      const f = fleet({ promoteDelayMs: 20 });
      const next = f.epoch() + 1;
      expect(f.sim.promote(S, B, next).state).toBe('accepted');
      expect(f.sim.state(S).pendingPromotions).toMatchObject([{ node: B, epoch: next }]);
      vi.advanceTimersByTime(19);
      expect(f.node(B).role).toBe('standby');
      vi.advanceTimersByTime(1);
      expect(f.node(B)).toMatchObject({ role: 'primary', epoch: next });

      f.sim.promote(S, B, next + 1);
      f.sim.inject(S, { fault: 'reset', initial: true });
      const initial = f.epoch();
      expect(f.sim.state(S).pendingPromotions).toEqual([]);
      vi.advanceTimersByTime(20);
      expect(f.node(B)).toMatchObject({ role: 'standby', epoch: initial });
    });

    it('reset clears every fault but keeps the primary and epoch the monitor knows', () => {
      const f = fleet({ promoteDelayMs: 0 });
      const next = f.epoch() + 1;
      f.sim.inject(S, { fault: 'crash', node: A });
      f.sim.promote(S, B, next);
      f.sim.inject(S, { fault: 'lag', seconds: 45 });
      const state = f.sim.inject(S, { fault: 'reset' });
      expect(state).toMatchObject({ primary: B, epoch: next, activeHolder: B });
      expect(state.nodes.map((n) => [n.id, n.role, n.epoch, n.fenced, n.down])).toEqual([
        [A, 'standby', next, false, false],
        [B, 'primary', next, false, false],
      ]);
      // A restarted simulator starts from the same baselines.
      const again = new FleetSim(demoStoreSpecs({ stores: 8 }), { baselines: f.sim.baselines() });
      expect(again.state(S)).toMatchObject({ primary: B, epoch: next });
    });

    it('a promotion that lands on a node that crashed meanwhile is lost', () => {
      const f = fleet({ promoteDelayMs: 10 });
      const next = f.epoch() + 1;
      f.sim.promote(S, B, next);
      f.sim.inject(S, { fault: 'crash', node: B });
      vi.advanceTimersByTime(10);
      expect(f.sim.state(S).pendingPromotions).toEqual([]);
      expect(f.node(B)).toMatchObject({ role: 'standby', epoch: next - 1 });
      expect(f.logs.some((l) => l.includes('lost: the node is down'))).toBe(true);
    });
  });
});
