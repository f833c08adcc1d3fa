import { describe, expect, it } from 'vitest';
import { classify } from '#shared/classify.ts';
import { checkCompletion } from '#shared/failover/completion.ts';
import { initialState } from '#shared/failover/machine.ts';
import { bytesProblem } from '#shared/failover/target.ts';
import type { Failover } from '#shared/schemas/status.ts';
import { parsed, problems, store } from './support/config-fixtures.ts';
import { Sim, type SimNodeSpec, type SimOptions } from './support/failover-sim.ts';
import { primaryReport, storeScenario } from './support/observations.ts';

const A: SimNodeSpec = { id: 'st-a', priority: 100, role: 'primary' };
const B: SimNodeSpec = { id: 'st-b', priority: 50, role: 'standby', lag: 0.5 };
const MIB = 1024 * 1024;

function sim(options: Partial<SimOptions> = {}): Sim {
  return new Sim(
    {
      mode: 'auto',
      arbiter: true,
      nodes: [A, B],
      promote: 'fast',
      ...options,
      policy: { thresholdSeconds: 3, promoteTimeoutSeconds: 30, confirmTimeoutSeconds: 60, ...options.policy },
    },
    initialState(),
  );
}

/** A healthy store for 5 s, then its primary dies; returns the log position of the crash. */
function crashPrimary(s: Sim): number {
  s.run(5);
  s.node('st-a').up = false;
  return s.log.length;
}

const operator = { source: 'operator', requestedBy: 'operator:alice', reason: 'primary dead' } as const;

describe('completion from the edge (contract section 8)', () => {
  it('completes when the target is primary and the active endpoint answers as it, with both marks', () => {
    const s = sim();
    crashPrimary(s);
    s.run(10);
    const f = s.state.current;
    expect(f).toMatchObject({ state: 'completed', to: 'st-b' });
    expect(f?.promotedAt).toEqual(expect.any(String));
    expect(f?.activeEndpointAt).toEqual(expect.any(String));
    const later = Math.max(Date.parse(f?.promotedAt ?? ''), Date.parse(f?.activeEndpointAt ?? ''));
    expect(Date.parse(f?.completedAt ?? '')).toBe(later);
  });

  it('a promoted target whose active endpoint lags behind stays promoting, then completes at the later mark', () => {
    const s = sim();
    s.vipPinned = 'st-a'; // the active IP stays on the dead node
    const mark = crashPrimary(s);
    s.run(10);
    expect(s.state.phase).toBe('promoting');
    const waiting = s.state.current;
    expect(waiting?.promotedAt).toEqual(expect.any(String));
    expect(waiting?.activeEndpointAt ?? null).toBeNull();
    expect(waiting?.completedAt).toBeNull();
    expect(s.persists(mark).some((r) => r.state === 'promoting' && r.promotedAt)).toBe(true);
    expect(s.effects('event', mark).map((e) => e.message)).toContainEqual(
      expect.stringMatching(/st-b reports primary at epoch 2; waiting for the active endpoint/),
    );

    s.vipPinned = null; // the active IP moves
    s.run(2);
    const done = s.state.current;
    expect(done?.state).toBe('completed');
    expect(Date.parse(done?.activeEndpointAt ?? '')).toBeGreaterThan(Date.parse(done?.promotedAt ?? ''));
    expect(done?.completedAt).toBe(done?.activeEndpointAt);
  });

  it('an active endpoint that never follows within promoteTimeoutSeconds fails the failover, names it, and alerts', () => {
    const s = sim();
    s.vipPinned = 'st-a';
    const mark = crashPrimary(s);
    s.run(60);
    const f = s.state.current;
    expect(f?.state).toBe('failed');
    expect(f?.promotedAt).toEqual(expect.any(String));
    expect(f?.completedAt).toBeNull();
    expect(f?.error).toMatch(/^the active endpoint did not answer as st-b at epoch 2 within 30 s of the decision/);
    expect(f?.error).toMatch(/it does not answer/);
    const critical = s.effects('notify', mark).filter((n) => n.severity === 'critical');
    expect(critical.at(-1)?.message).toMatch(/failover st-f1 failed: the active endpoint did not answer as st-b/);
    expect(s.effects('event', mark).map((e) => e.message)).toContainEqual(
      expect.stringMatching(/failed: the active endpoint/),
    );
  });

  it('a target that never promotes still fails for that, not for the active endpoint', () => {
    const s = sim({ promote: 'never' });
    crashPrimary(s);
    s.run(60);
    expect(s.state.current?.state).toBe('failed');
    expect(s.state.current?.error).toMatch(/st-b did not report primary at epoch 2/);
  });

  it('without an active endpoint to wait for, the promotion alone completes it (as before section 8)', () => {
    const scenario = storeScenario().warm();
    scenario.answer('node-b', primaryReport('node-b', 4)).round();
    const record: Failover = {
      id: 'st-f1',
      epoch: 4,
      from: 'node-a',
      to: 'node-b',
      mode: 'auto',
      requestedBy: 'auto',
      reason: 'x',
      state: 'promoting',
      detectedAt: null,
      decidedAt: new Date(scenario.now - 5000).toISOString(),
      completedAt: null,
      lagSecondsAtDecision: 0.4,
      dataLossAllowed: false,
    };
    const c = classify(scenario.observe());
    const without = checkCompletion(record, c, false, scenario.now);
    expect(without.complete).toBe(true);
    expect(without.record.completedAt).toBe(without.record.promotedAt);
    expect(without.record.activeEndpointAt).toBeUndefined();
    // The active endpoint still answers as node-a: with one to wait for, not complete yet.
    const withActive = checkCompletion(record, c, true, scenario.now);
    expect(withActive).toMatchObject({ complete: false, seen: ['promoted'] });
    expect(withActive.record.completedAt).toBeNull();
  });
});

describe('what a failover cost: lag bytes and the maxLagBytes guard', () => {
  it('records lagBytesAtDecision from the standby report, and says it in the decision event', () => {
    const s = sim({ nodes: [A, { ...B, lagBytes: 4096 }] });
    const mark = crashPrimary(s);
    s.run(10);
    expect(s.state.current).toMatchObject({ state: 'completed', lagSecondsAtDecision: 0.5, lagBytesAtDecision: 4096 });
    expect(s.effects('event', mark).map((e) => e.message)).toContainEqual(
      expect.stringMatching(/promoting st-b at epoch 2; lag at decision 0\.5 s, 4 KiB$/),
    );
  });

  it('a report without a byte figure records null, and the guard is off unless maxLagBytes is set', () => {
    const s = sim();
    crashPrimary(s);
    s.run(10);
    expect(s.state.current).toMatchObject({ state: 'completed', lagBytesAtDecision: null });
  });

  it('refuses an automatic promote above maxLagBytes, in words, and an operator may waive it with allowDataLoss', () => {
    const s = sim({ nodes: [A, { ...B, lagBytes: 20 * MIB }], policy: { maxLagBytes: 16 * MIB } });
    crashPrimary(s);
    s.run(10);
    expect(s.persists()).toEqual([]);
    const blocked = s.effects('notify').at(-1)?.message;
    expect(blocked).toContain(
      'automatic failover is blocked: standby st-b lag 20 MiB (20971520 bytes) exceeds the maxLagBytes limit of 16 MiB',
    );
    const refused = s.request(operator);
    expect(refused.accepted ? [] : refused.unmet).toEqual([
      'standby st-b lag 20 MiB (20971520 bytes) exceeds the maxLagBytes limit of 16 MiB',
    ]);
    const forced = s.request({ ...operator, allowDataLoss: true });
    expect(forced).toMatchObject({ accepted: true, failover: { dataLossAllowed: true, lagBytesAtDecision: 20 * MIB } });
    s.run(10);
    expect(s.state.current?.state).toBe('completed');
  });

  it('within maxLagBytes the automatic failover goes ahead', () => {
    const s = sim({ nodes: [A, { ...B, lagBytes: MIB }], policy: { maxLagBytes: 16 * MIB } });
    crashPrimary(s);
    s.run(10);
    expect(s.state.current).toMatchObject({ state: 'completed', lagBytesAtDecision: MIB });
  });

  it('with maxLagBytes set, a standby that reports no byte figure is unknown, and unknown is not eligible', () => {
    const s = sim({ policy: { maxLagBytes: MIB } });
    crashPrimary(s);
    s.run(10);
    expect(s.persists()).toEqual([]);
    expect(bytesProblem('st-b', null, MIB)).toMatch(/lag in bytes unknown/);
    expect(bytesProblem('st-b', MIB, MIB)).toBeNull();
    expect(bytesProblem('st-b', MIB + 1, MIB)).toMatch(/exceeds/);
    expect(bytesProblem('st-b', null, undefined)).toBeNull();
  });
});

describe('config: maxLagBytes and autoReinstate', () => {
  it('bad values are refused at their path, in the defaults and per store', () => {
    const found = problems({
      version: 1,
      defaults: { failover: { maxLagBytes: -1, autoReinstate: 'yes' } },
      stores: [store('gz-a', { failover: { maxLagBytes: 1.5 } })],
    });
    expect(found.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'defaults.failover.maxLagBytes',
        'defaults.failover.autoReinstate',
        'stores[0].failover.maxLagBytes',
      ]),
    );
    expect(found).toHaveLength(3);
  });

  it('both are optional: the byte guard is off and reinstatement waits for an operator unless set', () => {
    const config = parsed({ version: 1, stores: [store('gz-a', { failover: { maxLagBytes: 16777216 } })] });
    expect(config.defaults.failover.maxLagBytes).toBeUndefined();
    expect(config.defaults.failover.autoReinstate).toBeUndefined();
    expect(config.stores[0]?.failover?.maxLagBytes).toBe(16777216);
  });
});
