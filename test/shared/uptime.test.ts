import { describe, expect, it } from 'vitest';
import { type DayRollup, dayIndex, type MinuteRollup } from '#shared/rollup.ts';
import { availabilityOfDay, computeUptime, downtimeMinutes } from '#shared/uptime.ts';

// 2025-01-15 12:00:30 UTC: half a minute into a minute, half a day into day 20103.
const NOW = Date.UTC(2025, 0, 15, 12, 0, 30);
const TODAY = dayIndex(NOW);
const HOUR = 3_600_000;
const DAY = 86_400_000;

function minute(start: number, servingMs: number, monitoredMs = 60_000): MinuteRollup {
  return { minute: start, servingMs, monitoredMs, endpoints: {} };
}

function day(index: number, servingMs: number, monitoredMs = DAY): DayRollup {
  return { day: index, servingMs, monitoredMs, failovers: 0, endpoints: {} };
}

/** Every minute of the last 24 h, each serving for `servingMs` of its 60 s. */
function lastDayOfMinutes(servingMs: number): MinuteRollup[] {
  const first = Math.floor((NOW - DAY) / 60_000) * 60_000 + 60_000;
  return Array.from({ length: 1440 }, (_, i) => minute(first + i * 60_000, servingMs));
}

describe('computeUptime', () => {
  it('reports null in every window when nothing was monitored, never 100', () => {
    expect(computeUptime({ now: NOW, minutes: [], days: [] })).toEqual({
      '24h': null,
      '7d': null,
      '30d': null,
      '90d': null,
    });
  });

  it('reports null for rows that exist but hold no monitored time', () => {
    const result = computeUptime({ now: NOW, minutes: [minute(NOW - 30_000, 0, 0)], days: [day(TODAY, 0, 0)] });
    expect(result).toEqual({ '24h': null, '7d': null, '30d': null, '90d': null });
  });

  it('is exactly 100 when the primary served all monitored time', () => {
    const result = computeUptime({ now: NOW, minutes: lastDayOfMinutes(60_000), days: [day(TODAY, DAY)] });
    expect(result).toEqual({ '24h': 100, '7d': 100, '30d': 100, '90d': 100 });
  });

  it('is exactly 50 when the primary served half the monitored time', () => {
    const result = computeUptime({
      now: NOW,
      minutes: lastDayOfMinutes(30_000),
      days: [day(TODAY, 6 * HOUR, 12 * HOUR), day(TODAY - 1, 12 * HOUR)],
    });
    expect(result).toEqual({ '24h': 50, '7d': 50, '30d': 50, '90d': 50 });
  });

  it('is exactly 0 when the primary never served', () => {
    const result = computeUptime({ now: NOW, minutes: [minute(NOW - 30_000, 0)], days: [day(TODAY, 0)] });
    expect(result).toEqual({ '24h': 0, '7d': 0, '30d': 0, '90d': 0 });
  });

  it('ignores unmonitored time: a day watched for one hour, always serving, is 100', () => {
    expect(computeUptime({ now: NOW, minutes: [], days: [day(TODAY, HOUR, HOUR)] })['7d']).toBe(100);
  });

  it('weighs by monitored time, not by row', () => {
    const days = [day(TODAY, HOUR, HOUR), day(TODAY - 1, 0, 23 * HOUR)];
    expect(computeUptime({ now: NOW, minutes: [], days })['7d']).toBe((1 / 24) * 100);
  });

  it('keeps precision: one minute down in a day is not rounded away', () => {
    const minutes = lastDayOfMinutes(60_000);
    minutes[700] = minute(minutes[700]?.minute ?? 0, 0);
    const uptime = computeUptime({ now: NOW, minutes, days: [] })['24h'];
    expect(uptime).toBeCloseTo((1439 / 1440) * 100, 10);
    expect(uptime).toBeCloseTo(99.930556, 6);
  });

  describe('24 h window (minute rows)', () => {
    it('includes the minute starting exactly 24 h ago and excludes the one starting 24 h + 1 min ago', () => {
      const now = Date.UTC(2025, 0, 15, 12, 0, 0); // itself a minute start
      const edge = [
        minute(now - DAY, 0), // exactly 24 h ago: inside
        minute(now - DAY - 60_000, 0), // 24 h + 1 min ago: outside
        minute(now - 60_000, 60_000),
      ];
      expect(computeUptime({ now, minutes: edge, days: [] })['24h']).toBe(50);
      expect(computeUptime({ now, minutes: edge.slice(1), days: [] })['24h']).toBe(100);
    });

    it('excludes a minute that started before the window even if it ended inside it', () => {
      // now = 12:00:30, so the minute 11:59 yesterday (start 24 h + 30 s ago) is out.
      const minutes = [minute(NOW - DAY - 30_000, 0), minute(NOW - DAY + 30_000, 60_000)];
      expect(computeUptime({ now: NOW, minutes, days: [] })['24h']).toBe(100);
    });

    it('uses minute rows only, not day rows', () => {
      const result = computeUptime({ now: NOW, minutes: [], days: [day(TODAY, DAY)] });
      expect(result['24h']).toBeNull();
      expect(result['7d']).toBe(100);
    });
  });

  describe('day windows (day rows)', () => {
    it("7 d includes today's partial day", () => {
      const result = computeUptime({ now: NOW, minutes: [], days: [day(TODAY, 0, 12 * HOUR)] });
      expect(result['7d']).toBe(0);
    });

    it('7 d reaches back 6 whole days and no further', () => {
      const days = [day(TODAY - 6, DAY), day(TODAY - 7, 0)];
      const result = computeUptime({ now: NOW, minutes: [], days });
      expect(result['7d']).toBe(100);
      expect(result['30d']).toBe(50);
    });

    it('30 d and 90 d have the same edges', () => {
      const days = [day(TODAY - 29, DAY), day(TODAY - 30, 0), day(TODAY - 89, 0, DAY / 2), day(TODAY - 90, 0)];
      const result = computeUptime({ now: NOW, minutes: [], days });
      expect(result['7d']).toBeNull();
      expect(result['30d']).toBe(100);
      expect(result['90d']).toBe(40); // DAY serving of 2.5 DAY monitored
    });

    it('day windows follow the UTC day, not the last 24 h periods', () => {
      const justAfterMidnight = Date.UTC(2025, 0, 16, 0, 0, 1);
      const days = [day(dayIndex(justAfterMidnight), 0, 1_000), day(dayIndex(justAfterMidnight) - 7, 0)];
      expect(computeUptime({ now: justAfterMidnight, minutes: [], days })['7d']).toBe(0);
      // Yesterday (20103) is one of the 6 previous whole days:
      expect(computeUptime({ now: justAfterMidnight, minutes: [], days: [day(20103, DAY)] })['7d']).toBe(100);
    });

    it('uses day rows only, not minute rows', () => {
      const result = computeUptime({ now: NOW, minutes: [minute(NOW - 30_000, 60_000)], days: [] });
      expect(result).toEqual({ '24h': 100, '7d': null, '30d': null, '90d': null });
    });
  });
});

describe('availabilityOfDay', () => {
  it('is the serving share of monitored time in percent', () => {
    expect(availabilityOfDay(day(TODAY, DAY))).toBe(100);
    expect(availabilityOfDay(day(TODAY, DAY / 4))).toBe(25);
    expect(availabilityOfDay(day(TODAY, 3 * HOUR, 4 * HOUR))).toBe(75);
  });

  it('is null for a day with no monitored time', () => {
    expect(availabilityOfDay(day(TODAY, 0, 0))).toBeNull();
  });
});

describe('downtimeMinutes', () => {
  it('is monitored time without a serving primary, in minutes to one decimal', () => {
    expect(downtimeMinutes(day(TODAY, DAY))).toBe(0);
    expect(downtimeMinutes(day(TODAY, DAY - 90_000))).toBe(1.5);
    expect(downtimeMinutes(day(TODAY, DAY - 12_345))).toBe(0.2);
    expect(downtimeMinutes(day(TODAY, DAY - 117_000))).toBe(2);
    expect(downtimeMinutes(day(TODAY, 0))).toBe(1440);
  });

  it('does not count unmonitored time as downtime', () => {
    expect(downtimeMinutes(day(TODAY, 2 * HOUR, 2 * HOUR))).toBe(0);
    expect(downtimeMinutes(day(TODAY, 0, 0))).toBe(0);
  });
});
