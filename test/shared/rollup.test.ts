import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddRoundResult,
  addRound,
  countFailover,
  DAY_MS,
  type DayRollup,
  dayIndex,
  dayRetentionCutoff,
  emptyMinute,
  flush,
  type MinuteRollup,
  mergeIntoDay,
  mergeMinutes,
  minuteRetentionCutoff,
  minuteStart,
  type RollupAccumulator,
  type RoundSample,
  startAccumulator,
} from '#shared/rollup.ts';

// 2025-01-15 12:00:00 UTC: the start of a minute, in the middle of a day.
const T0 = Date.UTC(2025, 0, 15, 12, 0, 0);
const MAX_GAP = 15_000;

function round(at: number, primaryServing: boolean, probes: RoundSample['probes'] = []): RoundSample {
  return { at, primaryServing, probes };
}

function ok(endpoint: string, latencyMs: number | null = 10, lagSeconds: number | null = null) {
  return { endpoint, ok: true, latencyMs, lagSeconds };
}

function fail(endpoint: string, latencyMs: number | null = null) {
  return { endpoint, ok: false, latencyMs, lagSeconds: null };
}

/** Feeds rounds in order, collecting every completed minute. */
function feed(
  samples: RoundSample[],
  acc: RollupAccumulator = startAccumulator(),
  maxGapMs = MAX_GAP,
): { acc: RollupAccumulator; completed: MinuteRollup[] } {
  const completed: MinuteRollup[] = [];
  let current = acc;
  for (const sample of samples) {
    const result: AddRoundResult = addRound(current, sample, maxGapMs);
    completed.push(...result.completed);
    current = result.acc;
  }
  return { acc: current, completed };
}

function times(minute: MinuteRollup | null | undefined) {
  if (minute === null || minute === undefined) return null;
  return { minute: minute.minute, servingMs: minute.servingMs, monitoredMs: minute.monitoredMs };
}

describe('minuteStart and dayIndex', () => {
  it('floors to the UTC minute and day', () => {
    expect(minuteStart(T0 + 59_999)).toBe(T0);
    expect(minuteStart(T0 + 60_000)).toBe(T0 + 60_000);
    expect(dayIndex(Date.UTC(2025, 0, 15, 23, 59, 59, 999))).toBe(20103);
    expect(dayIndex(Date.UTC(2025, 0, 16))).toBe(20104);
    expect(dayIndex(0)).toBe(0);
  });
});

describe('addRound: time accounting', () => {
  it('starts empty: nothing to flush', () => {
    expect(startAccumulator()).toEqual({ open: null, last: null });
    expect(flush(startAccumulator())).toBeNull();
  });

  it('the first round brings probe counts but no time', () => {
    const { acc, completed } = feed([round(T0 + 5_000, true, [ok('node:gz-a')])]);
    expect(completed).toEqual([]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 0, monitoredMs: 0 });
    expect(flush(acc)?.endpoints['node:gz-a']?.up).toBe(1);
    expect(acc.last).toEqual({ at: T0 + 5_000, primaryServing: true });
  });

  it('credits the span between rounds to the earlier round while serving', () => {
    const { acc } = feed([round(T0 + 5_000, true), round(T0 + 10_000, true), round(T0 + 15_000, true)]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 10_000, monitoredMs: 10_000 });
  });

  it("credits the span to the previous round's state, not the new round's", () => {
    // Down at 5 s, serving again at 10 s: the 5 s in between were down.
    const { acc } = feed([round(T0 + 5_000, false), round(T0 + 10_000, true), round(T0 + 12_000, false)]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 2_000, monitoredMs: 7_000 });
  });

  it('splits a gap across a minute boundary exactly', () => {
    const { acc, completed } = feed([round(T0 + 57_000, true), round(T0 + 62_000, false)]);
    expect(completed.map(times)).toEqual([{ minute: T0, servingMs: 3_000, monitoredMs: 3_000 }]);
    expect(times(flush(acc))).toEqual({ minute: T0 + 60_000, servingMs: 2_000, monitoredMs: 2_000 });
  });

  it('splits a non-serving gap across a minute boundary as monitored but not serving', () => {
    const { acc, completed } = feed([round(T0 + 58_500, false), round(T0 + 61_250, true)]);
    expect(completed.map(times)).toEqual([{ minute: T0, servingMs: 0, monitoredMs: 1_500 }]);
    expect(times(flush(acc))).toEqual({ minute: T0 + 60_000, servingMs: 0, monitoredMs: 1_250 });
  });

  it('a round exactly on a minute boundary completes the previous minute', () => {
    const { acc, completed } = feed([round(T0 + 55_000, true), round(T0 + 60_000, true, [ok('active')])]);
    expect(completed.map(times)).toEqual([{ minute: T0, servingMs: 5_000, monitoredMs: 5_000 }]);
    expect(times(flush(acc))).toEqual({ minute: T0 + 60_000, servingMs: 0, monitoredMs: 0 });
    expect(flush(acc)?.endpoints.active?.up).toBe(1);
  });

  it('counts only maxGapMs of a longer gap as monitored', () => {
    const { acc } = feed([round(T0 + 10_000, true), round(T0 + 50_000, true)]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 15_000, monitoredMs: 15_000 });
  });

  it('caps a long gap while down too: the unwatched rest counts neither up nor down', () => {
    const { acc } = feed([round(T0 + 10_000, false), round(T0 + 50_000, true), round(T0 + 55_000, true)]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 5_000, monitoredMs: 20_000 });
  });

  it('a capped gap over several minutes credits only the minutes it reaches and skips empty ones', () => {
    const { acc, completed } = feed([round(T0 + 50_000, true), round(T0 + 300_000, true, [ok('active')])]);
    expect(completed.map(times)).toEqual([
      { minute: T0, servingMs: 10_000, monitoredMs: 10_000 },
      { minute: T0 + 60_000, servingMs: 5_000, monitoredMs: 5_000 },
    ]);
    expect(times(flush(acc))).toEqual({ minute: T0 + 300_000, servingMs: 0, monitoredMs: 0 });
  });

  it('a gap longer than a minute but under maxGapMs fills every minute in between', () => {
    const { acc, completed } = feed([round(T0 + 30_000, true), round(T0 + 170_000, true)], startAccumulator(), 150_000);
    expect(completed.map(times)).toEqual([
      { minute: T0, servingMs: 30_000, monitoredMs: 30_000 },
      { minute: T0 + 60_000, servingMs: 60_000, monitoredMs: 60_000 },
    ]);
    expect(times(flush(acc))).toEqual({ minute: T0 + 120_000, servingMs: 50_000, monitoredMs: 50_000 });
  });

  it('after a restart the first round brings no time, the next ones do', () => {
    const before = feed([round(T0 + 5_000, true), round(T0 + 10_000, true)]);
    expect(times(flush(before.acc))).toEqual({ minute: T0, servingMs: 5_000, monitoredMs: 5_000 });
    // The monitor restarts 2 s later with a fresh accumulator.
    const after = feed([round(T0 + 12_000, false, [ok('node:gz-a')]), round(T0 + 17_000, true)]);
    expect(times(flush(after.acc))).toEqual({ minute: T0, servingMs: 0, monitoredMs: 5_000 });
    expect(flush(after.acc)?.endpoints['node:gz-a']?.up).toBe(1);
  });

  it('a round with the same timestamp adds no time', () => {
    const { acc } = feed([round(T0 + 5_000, true), round(T0 + 5_000, true), round(T0 + 6_000, true)]);
    expect(times(flush(acc))).toEqual({ minute: T0, servingMs: 1_000, monitoredMs: 1_000 });
  });

  it('a clock step back credits no time, keeps the open minute, and does not credit the span twice', () => {
    const { acc, completed } = feed([
      round(T0 + 61_000, true),
      round(T0 + 65_000, true),
      round(T0 + 58_000, false, [fail('active')]),
      round(T0 + 66_000, true),
    ]);
    expect(completed).toEqual([]);
    // 61→65 serving (4 s), the step back adds nothing, 65→66 credited to the stepped-back round (down).
    expect(times(flush(acc))).toEqual({ minute: T0 + 60_000, servingMs: 4_000, monitoredMs: 5_000 });
    expect(flush(acc)?.endpoints.active?.down).toBe(1);
    expect(acc.last).toEqual({ at: T0 + 66_000, primaryServing: true });
  });

  it('rejects a maxGapMs that is not a positive finite number', () => {
    expect(() => addRound(startAccumulator(), round(T0, true), 0)).toThrow(/maxGapMs/);
    expect(() => addRound(startAccumulator(), round(T0, true), -1)).toThrow(/maxGapMs/);
    expect(() => addRound(startAccumulator(), round(T0, true), Number.NaN)).toThrow(/maxGapMs/);
    expect(() => addRound(startAccumulator(), round(T0, true), Number.POSITIVE_INFINITY)).toThrow(/maxGapMs/);
  });

  it('never mutates the accumulator it is given', () => {
    const first = addRound(startAccumulator(), round(T0 + 1_000, true, [ok('active', 5)]), MAX_GAP).acc;
    const snapshot = structuredClone(first);
    addRound(first, round(T0 + 6_000, false, [fail('active')]), MAX_GAP);
    addRound(first, round(T0 + 70_000, false, [fail('active')]), MAX_GAP);
    expect(first).toEqual(snapshot);
  });

  it('flush returns a copy that later rounds do not change', () => {
    const { acc } = feed([round(T0 + 1_000, true, [ok('active', 5)])]);
    const flushed = flush(acc);
    feed([round(T0 + 2_000, true, [ok('active', 7)])], acc);
    expect(flushed?.endpoints.active?.up).toBe(1);
    expect(flushed?.monitoredMs).toBe(0);
  });

  it('the accumulator survives a JSON round trip and continues identically', () => {
    const { acc } = feed([round(T0 + 1_000, true, [ok('active', 5, 2)]), round(T0 + 6_000, false, [fail('active')])]);
    const revived: RollupAccumulator = JSON.parse(JSON.stringify(acc));
    const next = round(T0 + 61_000, true, [ok('active', 9)]);
    expect(addRound(revived, next, MAX_GAP)).toEqual(addRound(acc, next, MAX_GAP));
  });

  it('a gap across midnight lands in minutes of two different days', () => {
    const midnight = Date.UTC(2025, 0, 16);
    const { acc, completed } = feed([round(midnight - 2_000, true), round(midnight + 3_000, true)]);
    expect(completed.map(times)).toEqual([{ minute: midnight - 60_000, servingMs: 2_000, monitoredMs: 2_000 }]);
    expect(times(flush(acc))).toEqual({ minute: midnight, servingMs: 3_000, monitoredMs: 3_000 });
    expect(completed.map((m) => dayIndex(m.minute))).toEqual([dayIndex(midnight) - 1]);
  });
});

describe('addRound: endpoint statistics', () => {
  it('aggregates latency min, sum, count, max and the highest lag', () => {
    const { acc } = feed([
      round(T0 + 1_000, true, [ok('node:gz-a', 12, 0.5), ok('node:gz-b', 40, 3)]),
      round(T0 + 6_000, true, [ok('node:gz-a', 30, 2.25), ok('node:gz-b', 20, 1)]),
      round(T0 + 11_000, true, [ok('node:gz-a', 9, null), ok('node:gz-b', null, null)]),
    ]);
    const minute = flush(acc);
    expect(minute?.endpoints['node:gz-a']).toEqual({
      up: 3,
      down: 0,
      latencyMin: 9,
      latencySum: 51,
      latencyCount: 3,
      latencyMax: 30,
      maxLagSeconds: 2.25,
    });
    expect(minute?.endpoints['node:gz-b']).toEqual({
      up: 3,
      down: 0,
      latencyMin: 20,
      latencySum: 60,
      latencyCount: 2,
      latencyMax: 40,
      maxLagSeconds: 3,
    });
    const a = minute?.endpoints['node:gz-a'];
    expect(a && a.latencySum / a.latencyCount).toBe(17);
  });

  it('counts failures as down and leaves their duration out of latency', () => {
    const { acc } = feed([
      round(T0 + 1_000, true, [ok('tcp:gz-a', 8), fail('arbiter', 2_000)]),
      round(T0 + 6_000, false, [fail('tcp:gz-a', 2_000), fail('arbiter')]),
      round(T0 + 11_000, false, [fail('tcp:gz-a'), ok('arbiter', 15)]),
    ]);
    const minute = flush(acc);
    expect(minute?.endpoints['tcp:gz-a']).toEqual({
      up: 1,
      down: 2,
      latencyMin: 8,
      latencySum: 8,
      latencyCount: 1,
      latencyMax: 8,
      maxLagSeconds: null,
    });
    expect(minute?.endpoints.arbiter).toMatchObject({ up: 1, down: 2, latencyCount: 1, latencyMin: 15 });
  });

  it('an endpoint that only ever failed has no latency at all', () => {
    const { acc } = feed([
      round(T0 + 1_000, false, [fail('active', 2_000)]),
      round(T0 + 2_000, false, [fail('active')]),
    ]);
    expect(flush(acc)?.endpoints.active).toEqual({
      up: 0,
      down: 2,
      latencyMin: null,
      latencySum: 0,
      latencyCount: 0,
      latencyMax: null,
      maxLagSeconds: null,
    });
  });

  it('probes count in the minute of their round, not the minute the previous span was credited to', () => {
    const { acc, completed } = feed([
      round(T0 + 58_000, true, [ok('active')]),
      round(T0 + 62_000, true, [fail('active')]),
    ]);
    expect(completed[0]?.endpoints.active).toMatchObject({ up: 1, down: 0 });
    expect(flush(acc)?.endpoints.active).toMatchObject({ up: 0, down: 1 });
  });

  it('a minute with probes but no rounds later stays open until a round in a later minute', () => {
    const one = feed([1_000, 14_000, 29_000, 44_000, 59_000].map((t) => round(T0 + t, true, [ok('active')])));
    expect(one.completed).toEqual([]);
    const two = feed([round(T0 + 61_000, true, [ok('active')])], one.acc);
    expect(two.completed.map(times)).toEqual([{ minute: T0, servingMs: 59_000, monitoredMs: 59_000 }]);
    expect(two.completed[0]?.endpoints.active?.up).toBe(5);
    expect(flush(two.acc)?.endpoints.active?.up).toBe(1);
  });
});

describe('addRound: invariants', () => {
  it('monitored time is the sum of gaps capped at maxGapMs, and no minute holds more than a minute', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 200_000 }), serving: fc.boolean() }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.integer({ min: 1, max: 120_000 }),
        (steps, maxGap) => {
          let at = T0 + 7_777;
          const samples: RoundSample[] = [];
          let expectedMonitored = 0;
          let expectedServing = 0;
          let previousServing: boolean | null = null;
          for (const step of steps) {
            at += step.gap;
            if (previousServing !== null) {
              const credited = Math.min(step.gap, maxGap);
              expectedMonitored += credited;
              if (previousServing) expectedServing += credited;
            }
            samples.push(round(at, step.serving, [ok('active')]));
            previousServing = step.serving;
          }
          const { acc, completed } = feed(samples, startAccumulator(), maxGap);
          const open = flush(acc);
          const all = open === null ? completed : [...completed, open];
          const monitored = all.reduce((sum, m) => sum + m.monitoredMs, 0);
          const serving = all.reduce((sum, m) => sum + m.servingMs, 0);
          const ups = all.reduce((sum, m) => sum + (m.endpoints.active?.up ?? 0), 0);
          expect(monitored).toBe(expectedMonitored);
          expect(serving).toBe(expectedServing);
          expect(ups).toBe(steps.length);
          for (const m of all) {
            expect(m.monitoredMs).toBeLessThanOrEqual(60_000);
            expect(m.servingMs).toBeLessThanOrEqual(m.monitoredMs);
            expect(m.minute % 60_000).toBe(0);
          }
          const starts = all.map((m) => m.minute);
          expect(starts).toEqual([...new Set(starts)].sort((x, y) => x - y));
        },
      ),
    );
  });
});

describe('mergeMinutes', () => {
  it('adds two partial rows of the same minute', () => {
    const a: MinuteRollup = {
      minute: T0,
      servingMs: 20_000,
      monitoredMs: 25_000,
      endpoints: {
        active: { up: 4, down: 1, latencyMin: 5, latencySum: 40, latencyCount: 4, latencyMax: 20, maxLagSeconds: 1 },
      },
    };
    const b: MinuteRollup = {
      minute: T0,
      servingMs: 10_000,
      monitoredMs: 10_000,
      endpoints: {
        active: { up: 2, down: 0, latencyMin: 3, latencySum: 10, latencyCount: 2, latencyMax: 7, maxLagSeconds: null },
        arbiter: {
          up: 0,
          down: 2,
          latencyMin: null,
          latencySum: 0,
          latencyCount: 0,
          latencyMax: null,
          maxLagSeconds: null,
        },
      },
    };
    expect(mergeMinutes(a, b)).toEqual({
      minute: T0,
      servingMs: 30_000,
      monitoredMs: 35_000,
      endpoints: {
        active: { up: 6, down: 1, latencyMin: 3, latencySum: 50, latencyCount: 6, latencyMax: 20, maxLagSeconds: 1 },
        arbiter: {
          up: 0,
          down: 2,
          latencyMin: null,
          latencySum: 0,
          latencyCount: 0,
          latencyMax: null,
          maxLagSeconds: null,
        },
      },
    });
  });

  it('refuses rows of different minutes', () => {
    expect(() => mergeMinutes(emptyMinute(T0), emptyMinute(T0 + 60_000))).toThrow(/cannot merge minute/);
  });
});

describe('mergeIntoDay', () => {
  const day = dayIndex(T0);

  function minute(start: number, servingMs: number, monitoredMs: number, up = 0, down = 0): MinuteRollup {
    const m = emptyMinute(start);
    m.servingMs = servingMs;
    m.monitoredMs = monitoredMs;
    m.endpoints['node:gz-a'] = {
      up,
      down,
      latencyMin: null,
      latencySum: 0,
      latencyCount: 0,
      latencyMax: null,
      maxLagSeconds: null,
    };
    return m;
  }

  it('starts a day row from the first minute', () => {
    expect(mergeIntoDay(null, minute(T0, 50_000, 60_000, 10, 2))).toEqual({
      day,
      servingMs: 50_000,
      monitoredMs: 60_000,
      failovers: 0,
      endpoints: { 'node:gz-a': { up: 10, down: 2 } },
    });
  });

  it('adds minutes, keeps failovers and endpoints seen only earlier', () => {
    const existing: DayRollup = {
      day,
      servingMs: 3_000_000,
      monitoredMs: 3_600_000,
      failovers: 2,
      endpoints: { 'node:gz-a': { up: 100, down: 5 }, 'tcp:gz-b': { up: 7, down: 0 } },
    };
    expect(mergeIntoDay(existing, minute(T0 + 120_000, 60_000, 60_000, 12, 0))).toEqual({
      day,
      servingMs: 3_060_000,
      monitoredMs: 3_660_000,
      failovers: 2,
      endpoints: { 'node:gz-a': { up: 112, down: 5 }, 'tcp:gz-b': { up: 7, down: 0 } },
    });
    expect(existing.endpoints['node:gz-a']).toEqual({ up: 100, down: 5 });
  });

  it('puts the last minute before midnight and the first after it in different days', () => {
    const midnight = Date.UTC(2025, 0, 16);
    const before = mergeIntoDay(null, minute(midnight - 60_000, 60_000, 60_000));
    const after = mergeIntoDay(null, minute(midnight, 30_000, 60_000));
    expect(before.day).toBe(20103);
    expect(after.day).toBe(20104);
    expect(() => mergeIntoDay(before, minute(midnight, 1, 1))).toThrow(/belongs to day 20104, not day 20103/);
  });
});

describe('countFailover', () => {
  it('counts failovers into the day they happened on', () => {
    const first = countFailover(null, T0);
    expect(first).toEqual({ day: dayIndex(T0), servingMs: 0, monitoredMs: 0, failovers: 1, endpoints: {} });
    expect(countFailover(first, T0 + 3_600_000).failovers).toBe(2);
    expect(first.failovers).toBe(1);
    expect(() => countFailover(first, T0 + DAY_MS)).toThrow(/not day/);
  });

  it('survives later minutes merged into the same day', () => {
    const day = countFailover(null, T0);
    expect(mergeIntoDay(day, { ...emptyMinute(T0 + 60_000), servingMs: 1, monitoredMs: 2 }).failovers).toBe(1);
  });
});

describe('retention', () => {
  it('keeps minute rows for 48 hours', () => {
    expect(minuteRetentionCutoff(T0)).toBe(T0 - 172_800_000);
  });

  it('keeps 400 day rows counting today', () => {
    const now = T0;
    const cutoff = dayRetentionCutoff(now);
    expect(cutoff).toBe(dayIndex(now) - 399);
    expect(dayIndex(now) - cutoff + 1).toBe(400);
  });
});
