import { describe, expect, it } from 'vitest';
import { dayDate, dayOfZone, localDayIndex } from '#shared/local-day.ts';
import { type MinuteRollup, mergeIntoDay } from '#shared/rollup.ts';
import { computeUptime } from '#shared/uptime.ts';

const minute = (ms: number, servingMs: number, monitoredMs = 60_000): MinuteRollup => ({
  minute: ms,
  servingMs,
  monitoredMs,
  endpoints: {},
});

describe('local days', () => {
  it('a UTC instant falls on different calendar days in different zones', () => {
    const t = Date.UTC(2026, 10, 21, 17, 30); // 17:30 UTC
    expect(dayDate(localDayIndex(t, 'UTC'))).toBe('2026-11-21');
    expect(dayDate(localDayIndex(t, 'Asia/Shanghai'))).toBe('2026-11-22'); // 01:30 the next day
    expect(dayDate(localDayIndex(t, 'America/Los_Angeles'))).toBe('2026-11-21'); // 09:30
    expect(dayDate(localDayIndex(Date.UTC(2026, 10, 21, 10, 30), 'Pacific/Kiritimati'))).toBe('2026-11-22'); // +14
    expect(dayDate(localDayIndex(Date.UTC(2026, 10, 21, 11, 30), 'Pacific/Pago_Pago'))).toBe('2026-11-21'); // -11
  });

  it('local midnight in Shanghai is 16:00 UTC the day before', () => {
    const dayOf = dayOfZone('Asia/Shanghai');
    expect(dayOf(Date.UTC(2026, 10, 21, 15, 59)) + 1).toBe(dayOf(Date.UTC(2026, 10, 21, 16, 0)));
  });

  it('a daylight-saving day has 23 hours of minutes, and they all land on it', () => {
    const dayOf = dayOfZone('America/New_York');
    // 2026-03-08: clocks go from 02:00 to 03:00 local. Local midnight is 05:00 UTC, the next 04:00 UTC.
    const start = Date.UTC(2026, 2, 8, 5, 0);
    const end = Date.UTC(2026, 2, 9, 4, 0);
    const day = dayOf(start);
    expect(dayDate(day)).toBe('2026-03-08');
    expect(dayOf(start - 60_000)).toBe(day - 1);
    expect(dayOf(end - 60_000)).toBe(day);
    expect(dayOf(end)).toBe(day + 1);
    let rollup = null;
    for (let t = start; t < end; t += 60_000) rollup = mergeIntoDay(rollup, minute(t, 60_000), dayOf);
    expect(rollup?.monitoredMs).toBe(23 * 3600 * 1000);
    expect(() => mergeIntoDay(rollup, minute(end, 60_000), dayOf)).toThrow(RangeError);
  });

  it('7-day uptime counts local days: the store-local today plus six before it', () => {
    const dayOf = dayOfZone('Asia/Shanghai');
    const now = Date.UTC(2026, 10, 21, 17, 0); // 01:00 on the 22nd in Shanghai
    const today = dayOf(now);
    const days = [
      { day: today, servingMs: 60_000, monitoredMs: 60_000, failovers: 0, endpoints: {} },
      { day: today - 6, servingMs: 0, monitoredMs: 60_000, failovers: 0, endpoints: {} },
      { day: today - 7, servingMs: 0, monitoredMs: 600_000, failovers: 0, endpoints: {} },
    ];
    const uptime = computeUptime({ now, minutes: [], days, dayOf });
    expect(uptime['7d']).toBe(50);
    expect(uptime['30d']).toBeCloseTo((60_000 / 720_000) * 100, 10);
    // Counted in UTC days, today is one day earlier, so the 7-day window would take in the eighth row too.
    expect(computeUptime({ now, minutes: [], days })['7d']).toBeCloseTo((60_000 / 720_000) * 100, 10);
  });
});
