import { describe, expect, it } from 'vitest';
import { classify } from '#shared/classify.ts';
import { initialState } from '#shared/failover/machine.ts';
import type { FailoverMachineState } from '#shared/failover/types.ts';
import { afterFailoverStep, countsTowardUptime, dueAt, FAST_ROUND_MS, nextRoundAt } from '#shared/monitor/cadence.ts';
import { decideAdoption } from '#shared/monitor/epoch-adoption.ts';
import { remember, sameMemory, storeEpoch } from '#shared/monitor/known-primary.ts';
import { historyDue, historyKey, REFRESH_MS, shouldReportStatus, UPTIME_EVERY_MS } from '#shared/monitor/reporting.ts';
import { STALE_FENCE_EVERY_MS, staleFenceTargets } from '#shared/monitor/stale-fence.ts';
import { composeStatus } from '#shared/monitor/store-status.ts';
import type { StoreStatusName } from '#shared/schemas/status.ts';
import { primaryReport, storeScenario, T0 } from './support/observations.ts';

const counters = { rounds: 1, probes: 4, rowsWritten: 2, failovers: { completed: 0, failed: 0, aborted: 0 } };

describe('the next probe round', () => {
  const calm = { unconfirmedFailures: false, status: 'healthy' as const };
  it.each([
    ['a healthy store waits an interval', calm, 'idle', 5000],
    ['a failure being retried comes back in a second', { ...calm, unconfirmedFailures: true }, 'idle', FAST_ROUND_MS],
    ['a primary down is watched every second', { ...calm, status: 'primary_down' as const }, 'idle', FAST_ROUND_MS],
    ['a fence in flight is watched every second', calm, 'fencing', FAST_ROUND_MS],
    ['a promotion in flight is watched every second', calm, 'promoting', FAST_ROUND_MS],
    ['a confirmation awaited keeps the interval', calm, 'awaiting_confirm', 5000],
    ['a degraded store keeps the interval', { ...calm, status: 'degraded' as const }, 'idle', 5000],
    ['an unreachable store keeps the interval', { ...calm, status: 'store_unreachable' as const }, 'idle', 5000],
  ] as const)('%s', (_name, classification, phase, gap) => {
    expect(nextRoundAt({ started: T0, intervalSeconds: 5, classification, phase })).toBe(T0 + gap);
  });

  it('is counted from when the round started, not when it ended', () => {
    const at = nextRoundAt({ started: T0, intervalSeconds: 30, classification: calm, phase: 'idle' });
    expect(at).toBe(T0 + 30_000);
  });

  it('a round asked for (config change) comes before the scheduled one, and deadlines before both', () => {
    expect(dueAt({ scheduled: T0 + 5000, requested: null })).toBe(T0 + 5000);
    expect(dueAt({ scheduled: T0 + 5000, requested: T0 + 10 })).toBe(T0 + 10);
    expect(dueAt({ scheduled: T0 + 5000, requested: T0 + 9000 })).toBe(T0 + 5000);
    expect(dueAt({ scheduled: T0 + 5000, requested: null }, T0 + 100, null)).toBe(T0 + 100);
    expect(dueAt({ scheduled: T0 + 5000, requested: null }, null, null)).toBe(T0 + 5000);
  });

  it('a decision that started a failover brings the next round within a second; idle leaves it', () => {
    expect(afterFailoverStep(T0 + 5000, 'fencing', T0)).toBe(T0 + FAST_ROUND_MS);
    expect(afterFailoverStep(T0 + 500, 'promoting', T0)).toBe(T0 + 500);
    expect(afterFailoverStep(T0 + 5000, 'idle', T0)).toBe(T0 + 5000);
  });
});

describe('what counts toward uptime', () => {
  const statuses: StoreStatusName[] = ['healthy', 'degraded', 'primary_down', 'split_brain', 'store_unreachable'];
  it.each(statuses)('a %s round counts, unless a maintenance window is open', (status) => {
    expect(countsTowardUptime(status, false)).toBe(true);
    expect(countsTowardUptime(status, true)).toBe(false);
  });
  it('the startup grace (unknown) never counts', () => {
    expect(countsTowardUptime('unknown', false)).toBe(false);
  });
});

describe('reporting to the Fleet', () => {
  it('sends a significant change at once, and otherwise once a refresh period has passed', () => {
    expect(shouldReportStatus({ significant: true, lastSentAt: T0, now: T0 + 1 })).toBe(true);
    expect(shouldReportStatus({ significant: false, lastSentAt: T0, now: T0 + REFRESH_MS - 1 })).toBe(false);
    expect(shouldReportStatus({ significant: false, lastSentAt: T0, now: T0 + REFRESH_MS })).toBe(true);
    expect(shouldReportStatus({ significant: false, lastSentAt: 0, now: T0 })).toBe(true);
  });

  it('recomputes the public history when a minute closed: every minute unless settled, else every period', () => {
    const at = (lastHistoryAt: number, now: number, settled: boolean, completedMinutes = 1) =>
      historyDue({ completedMinutes, lastHistoryAt, now, settled });
    expect(at(0, T0, true, 0)).toBe(false);
    expect(at(0, T0, false, 0)).toBe(false);
    expect(at(0, T0, true)).toBe(true);
    expect(at(T0, T0 + UPTIME_EVERY_MS - 1, true, 2)).toBe(false);
    expect(at(T0, T0 + UPTIME_EVERY_MS, true)).toBe(true);
    // Something open, a change not yet published with data, or a history without figures: every minute.
    expect(at(T0, T0 + 60_000, false)).toBe(true);
  });

  it('a history equal to the thousandth is the same history; a real change is not', () => {
    expect(historyKey({ uptime: 99.99991 })).toBe(historyKey({ uptime: 99.99989 }));
    expect(historyKey({ uptime: 99.999 })).not.toBe(historyKey({ uptime: 99.998 }));
  });
});

describe('what a round teaches the monitor to remember', () => {
  const seen = { epochSeen: true };
  it('remembers the serving primary and keeps the last known one while none serves', () => {
    const before = { knownPrimary: 'node-a', epoch: 3 };
    expect(remember(before, { ...seen, primary: 'node-b', primaryServing: true, epoch: 4 })).toEqual({
      knownPrimary: 'node-b',
      epoch: 4,
    });
    expect(remember(before, { ...seen, primary: null, primaryServing: false, epoch: 3 })).toEqual(before);
  });

  it('never lowers the epoch, learns it at first contact, and learns nothing before any node reports', () => {
    const none = { primary: null, primaryServing: false };
    expect(remember({ knownPrimary: null, epoch: 5 }, { ...seen, ...none, epoch: 2 }).epoch).toBe(5);
    expect(remember({ knownPrimary: null, epoch: null }, { ...seen, ...none, epoch: 2 }).epoch).toBe(2);
    expect(remember({ knownPrimary: null, epoch: null }, { ...none, epochSeen: false, epoch: 0 }).epoch).toBeNull();
  });

  it('tells an unchanged memory apart, so it is not written again', () => {
    expect(sameMemory({ knownPrimary: 'a', epoch: 1 }, { knownPrimary: 'a', epoch: 1 })).toBe(true);
    expect(sameMemory({ knownPrimary: 'a', epoch: 1 }, { knownPrimary: 'a', epoch: 2 })).toBe(false);
    expect(sameMemory({ knownPrimary: 'a', epoch: null }, { knownPrimary: 'a', epoch: 0 })).toBe(false);
  });

  it("the store's epoch is unknown only before first contact and before any failover was issued", () => {
    expect(storeEpoch(null, 0)).toBeNull();
    expect(storeEpoch(null, 4)).toBe(4);
    expect(storeEpoch(3, 0)).toBe(3);
    expect(storeEpoch(3, 5)).toBe(5);
    expect(storeEpoch(0, 0)).toBe(0);
  });
});

describe("the store's epoch, as classify weighs reports", () => {
  it('at first contact, the highest epoch any node reports is adopted', () => {
    const s = storeScenario().update('node-b', { epoch: 4 }).warm();
    const c = classify({ ...s.observe(), epoch: null });
    expect(c).toMatchObject({ epoch: 4, epochSeen: true, epochRegression: null });
  });

  it('after it, a higher reported epoch is never adopted, only shown', () => {
    const s = storeScenario().withEpoch(3).update('node-b', { epoch: 9 }).warm();
    const c = classify(s.observe());
    expect(c.epoch).toBe(3);
    expect(c.reasons).toContain('node node-b reports epoch 9, which mirrorwatch never issued');
    expect(c.primary).toBe('node-a');
    expect(c.nodes.every((n) => !n.needsReinstatement)).toBe(true);
  });

  it('a primary claiming an epoch never issued beside the one at the store epoch is a split brain, not a fence', () => {
    const s = storeScenario().withEpoch(3).answer('node-b', primaryReport('node-b', 8)).warm();
    const c = classify(s.observe());
    expect(c.status).toBe('split_brain');
    expect(staleFenceTargets(c, {}, T0)).toEqual([]);
  });

  it('every node below the store epoch is an epoch regression: the rebuilt primary serves, nobody is stale', () => {
    const s = storeScenario().withEpoch(5).update('node-a', { epoch: 1 }).update('node-b', { epoch: 1 }).warm();
    const c = classify(s.observe());
    expect(c).toMatchObject({ epoch: 5, epochRegression: 1, primary: 'node-a', primaryServing: true });
    expect(c.reasons[0]).toMatch(/^epoch regression: every node reports an epoch below the store's epoch 5/);
    expect(c.nodes.every((n) => !n.needsReinstatement)).toBe(true);
    expect(staleFenceTargets(c, {}, T0)).toEqual([]);
  });

  it('no regression while a node reports nothing: the old primary is stale, but no one serves to fence it for', () => {
    const s = storeScenario()
      .withEpoch(5)
      .withKnownPrimary('node-b')
      .update('node-a', { epoch: 4 })
      .fail('node-b')
      .warm();
    const c = classify(s.observe());
    expect(c.epochRegression).toBeNull();
    expect(c.nodes.find((n) => n.id === 'node-a')?.needsReinstatement).toBe(true);
    expect(staleFenceTargets(c, {}, T0)).toEqual([]);
  });
});

describe('adopting an epoch', () => {
  const reported = [
    { node: 'a', epoch: 1 },
    { node: 'b', epoch: 9 },
    { node: 'c', epoch: null },
  ];
  const base = { storeEpoch: 3, reported, regression: false, failoverInProgress: null };
  it('adopts an epoch above the store epoch that a node reports', () => {
    expect(decideAdoption({ ...base, requested: 9 })).toEqual({ ok: true, epoch: 9 });
  });
  it('refuses one no node reports, naming what they do report', () => {
    const r = decideAdoption({ ...base, requested: 7 });
    expect(r).toEqual({ ok: false, reasons: ['no node reports epoch 7 (reported: a epoch 1, b epoch 9, c nothing)'] });
  });
  it('refuses a lower one unless every node reports below the store epoch', () => {
    const refused = decideAdoption({ ...base, requested: 1 });
    expect(refused.ok ? [] : refused.reasons).toEqual([expect.stringMatching(/^epoch 1 is below the store's epoch 3/)]);
    expect(decideAdoption({ ...base, regression: true, requested: 1 })).toEqual({ ok: true, epoch: 1 });
  });
  it('refuses the epoch the store already has, and anything while a failover is in progress', () => {
    expect(decideAdoption({ ...base, reported: [{ node: 'a', epoch: 3 }], requested: 3 }).ok).toBe(false);
    const busy = decideAdoption({ ...base, failoverInProgress: 'failover st-f1 is promoting', requested: 9 });
    expect(busy.ok ? [] : busy.reasons).toEqual(['failover st-f1 is promoting: adopt an epoch once it has ended']);
  });
});

describe('whom the stale-primary fencer fences', () => {
  /** node-a back claiming primary at epoch 2 while node-b serves at 3. */
  function staleScenario() {
    return storeScenario()
      .answer('node-b', primaryReport('node-b', 3))
      .activeAnswersAs('node-b')
      .answer('node-a', primaryReport('node-a', 2))
      .withEpoch(3)
      .warm();
  }

  it('an old primary back at an older epoch, reachable, once per period', () => {
    const c = classify(staleScenario().observe());
    expect(staleFenceTargets(c, {}, T0)).toEqual(['node-a']);
    expect(staleFenceTargets(c, { 'node-a': T0 }, T0 + STALE_FENCE_EVERY_MS - 1)).toEqual([]);
    expect(staleFenceTargets(c, { 'node-a': T0 }, T0 + STALE_FENCE_EVERY_MS)).toEqual(['node-a']);
  });

  it('never during the startup grace, and never one the edge cannot reach', () => {
    const grace = storeScenario()
      .answer('node-b', primaryReport('node-b', 3))
      .answer('node-a', primaryReport('node-a', 2))
      .withEpoch(3)
      .round();
    expect(staleFenceTargets(classify(grace.observe()), {}, T0)).toEqual([]);
    const gone = staleScenario().fail('node-a').tick().tick();
    expect(staleFenceTargets(classify(gone.observe()), {}, T0)).toEqual([]);
  });

  it('never the serving primary of a healthy store', () => {
    expect(staleFenceTargets(classify(storeScenario().warm().observe()), {}, T0)).toEqual([]);
  });
});

describe('composing the status', () => {
  const healthy = () => storeScenario().warm();

  function compose(machine: FailoverMachineState, options: { window?: boolean; warnings?: string[] } = {}) {
    const s = healthy();
    const obs = s.observe();
    return composeStatus({
      config: obs.config,
      classification: classify(obs),
      machine,
      window: options.window ? { id: 'w1', reason: 'patching', start: T0, end: T0 + 3600_000 } : null,
      warnings: options.warnings ?? [],
      previous: { status: 'healthy', since: T0 - 1000 },
      now: T0,
      counters,
    });
  }

  it('a healthy store stays healthy, its since unchanged', () => {
    const c = compose(initialState(3));
    expect(c.status).toMatchObject({ status: 'healthy', since: new Date(T0 - 1000).toISOString() });
    expect(c.changed).toBe(false);
  });

  it('a maintenance window turns it maintenance, since now, with the window first among the reasons', () => {
    const c = compose(initialState(3), { window: true });
    expect(c.changed).toBe(true);
    expect(c.status.status).toBe('maintenance');
    expect(c.status.since).toBe(new Date(T0).toISOString());
    expect(c.status.reasons[0]).toMatch(/^maintenance window "w1" \(patching\)/);
  });

  it('warnings make a healthy store degraded', () => {
    expect(compose(initialState(3), { warnings: ['job sync is late'] }).status).toMatchObject({
      status: 'degraded',
      reasons: ['job sync is late'],
    });
  });

  it('the significance key ignores the figures that move every round', () => {
    const a = compose(initialState(3));
    const b = composeStatus({
      ...{
        config: healthy().observe().config,
        classification: classify(healthy().tick(1234).observe()),
      },
      machine: initialState(3),
      window: null,
      warnings: [],
      previous: { status: 'healthy', since: T0 - 1000 },
      now: T0 + 5000,
      counters: { ...counters, rounds: 9, probes: 40 },
    });
    expect(b.key).toBe(a.key);
    expect(compose(initialState(3), { warnings: ['x'] }).key).not.toBe(a.key);
  });
});
