import { describe, expect, it } from 'vitest';
import { classify } from '#shared/classify.ts';
import { initialState } from '#shared/failover/machine.ts';
import type { FailoverMachineState } from '#shared/failover/types.ts';
import { afterFailoverStep, countsTowardUptime, dueAt, FAST_ROUND_MS, nextRoundAt } from '#shared/monitor/cadence.ts';
import { remember, sameMemory } from '#shared/monitor/known-primary.ts';
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

  it('recomputes the public history only when a minute closed and the period has passed', () => {
    expect(historyDue({ completedMinutes: 0, lastHistoryAt: 0, now: T0 })).toBe(false);
    expect(historyDue({ completedMinutes: 1, lastHistoryAt: 0, now: T0 })).toBe(true);
    expect(historyDue({ completedMinutes: 2, lastHistoryAt: T0, now: T0 + UPTIME_EVERY_MS - 1 })).toBe(false);
    expect(historyDue({ completedMinutes: 1, lastHistoryAt: T0, now: T0 + UPTIME_EVERY_MS })).toBe(true);
  });

  it('a history equal to the thousandth is the same history; a real change is not', () => {
    expect(historyKey({ uptime: 99.99991 })).toBe(historyKey({ uptime: 99.99989 }));
    expect(historyKey({ uptime: 99.999 })).not.toBe(historyKey({ uptime: 99.998 }));
  });
});

describe('what a round teaches the monitor to remember', () => {
  it('remembers the serving primary and keeps the last known one while none serves', () => {
    const before = { knownPrimary: 'node-a', epoch: 3 };
    expect(remember(before, { primary: 'node-b', primaryServing: true, epoch: 4 })).toEqual({
      knownPrimary: 'node-b',
      epoch: 4,
    });
    expect(remember(before, { primary: null, primaryServing: false, epoch: 3 })).toEqual(before);
  });

  it('never lowers the epoch, and learns it at first contact', () => {
    expect(remember({ knownPrimary: null, epoch: 5 }, { primary: null, primaryServing: false, epoch: 2 }).epoch).toBe(
      5,
    );
    expect(remember({ knownPrimary: null, epoch: null }, { primary: 'a', primaryServing: true, epoch: 2 }).epoch).toBe(
      2,
    );
  });

  it('tells an unchanged memory apart, so it is not written again', () => {
    expect(sameMemory({ knownPrimary: 'a', epoch: 1 }, { knownPrimary: 'a', epoch: 1 })).toBe(true);
    expect(sameMemory({ knownPrimary: 'a', epoch: 1 }, { knownPrimary: 'a', epoch: 2 })).toBe(false);
    expect(sameMemory({ knownPrimary: 'a', epoch: null }, { knownPrimary: 'a', epoch: 0 })).toBe(false);
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
