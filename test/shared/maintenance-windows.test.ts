import { describe, expect, it } from 'vitest';
import { windowsFor } from '#shared/fleet/monitor-config.ts';
import { activeWindow, nextWindow } from '#shared/schedules/maintenance.ts';
import { FleetConfig } from '#shared/schemas/config.ts';
import type { StoreWindow } from '#shared/schemas/schedules.ts';

const t = (iso: string) => Date.parse(iso);
const SH = 'Asia/Shanghai';
const NY = 'America/New_York';

const once = (id: string, start: string, end: string, reason = 'planned'): StoreWindow => ({
  id,
  reason,
  start: t(start),
  end: t(end),
});
const recurring = (id: string, cron: string, durationMinutes: number, reason = 'nightly'): StoreWindow => ({
  id,
  reason,
  cron,
  durationMinutes,
});

describe('one-off windows', () => {
  const w = once('upgrade', '2026-05-01T02:00:00Z', '2026-05-01T04:00:00Z', 'PostgreSQL upgrade');
  const expected = {
    id: 'upgrade',
    reason: 'PostgreSQL upgrade',
    start: t('2026-05-01T02:00:00Z'),
    end: t('2026-05-01T04:00:00Z'),
  };

  it('covers its start instant and every instant before its end', () => {
    expect(activeWindow([w], t('2026-05-01T02:00:00Z'), 'UTC')).toEqual(expected);
    expect(activeWindow([w], t('2026-05-01T03:59:59.999Z'), 'UTC')).toEqual(expected);
  });

  it('does not cover the instant before its start, nor its end', () => {
    expect(activeWindow([w], t('2026-05-01T01:59:59.999Z'), 'UTC')).toBeNull();
    expect(activeWindow([w], t('2026-05-01T04:00:00Z'), 'UTC')).toBeNull();
  });

  it('is next until it starts, and not once it has', () => {
    expect(nextWindow([w], t('2026-04-01T00:00:00Z'), 'UTC')).toEqual(expected);
    expect(nextWindow([w], t('2026-05-01T01:59:59.999Z'), 'UTC')).toEqual(expected);
    expect(nextWindow([w], t('2026-05-01T02:00:00Z'), 'UTC')).toBeNull();
  });

  it('ignores the zone: its instants are absolute', () => {
    expect(activeWindow([w], t('2026-05-01T02:30:00Z'), SH)).toEqual(expected);
  });
});

describe('recurring windows crossing midnight in Asia/Shanghai (UTC+8)', () => {
  // 23:00 to 01:00 local = 15:00Z to 17:00Z.
  const w = recurring('nightly-backup', '0 23 * * *', 120);
  const jan1 = {
    id: 'nightly-backup',
    reason: 'nightly',
    start: t('2026-01-01T15:00:00Z'),
    end: t('2026-01-01T17:00:00Z'),
  };

  it('is active at 00:30 local from the start on the previous local day', () => {
    expect(activeWindow([w], t('2026-01-01T16:30:00Z'), SH)).toEqual(jan1);
  });

  it('starts at 23:00 local inclusive and ends at 01:00 local exclusive', () => {
    expect(activeWindow([w], t('2026-01-01T14:59:59.999Z'), SH)).toBeNull();
    expect(activeWindow([w], t('2026-01-01T15:00:00Z'), SH)).toEqual(jan1);
    expect(activeWindow([w], t('2026-01-01T16:59:59.999Z'), SH)).toEqual(jan1);
    expect(activeWindow([w], t('2026-01-01T17:00:00Z'), SH)).toBeNull();
  });

  it('is evaluated in the store zone, not UTC', () => {
    // 23:30 UTC is 07:30 local: outside; in UTC the same cron would be active.
    expect(activeWindow([w], t('2026-01-01T23:30:00Z'), SH)).toBeNull();
    expect(activeWindow([w], t('2026-01-01T23:30:00Z'), 'UTC')?.start).toBe(t('2026-01-01T23:00:00Z'));
  });

  it('names the next start after the current one has begun or ended', () => {
    const jan2Start = t('2026-01-02T15:00:00Z');
    expect(nextWindow([w], t('2026-01-01T16:30:00Z'), SH)).toEqual({
      ...jan1,
      start: jan2Start,
      end: jan2Start + 7_200_000,
    });
    expect(nextWindow([w], t('2026-01-01T14:59:59.999Z'), SH)).toEqual(jan1);
    expect(nextWindow([w], t('2026-01-01T15:00:00Z'), SH)?.start).toBe(jan2Start);
  });

  it('finds a start more than a day back when the window is that long', () => {
    // Saturday 22:00 local for two days: still on at Monday 10:00 local.
    const weekend = recurring('weekend', '0 22 * * 6', 2880);
    const hit = activeWindow([weekend], t('2026-01-05T02:00:00Z'), SH);
    expect(hit?.start).toBe(t('2026-01-03T14:00:00Z'));
    expect(hit?.end).toBe(t('2026-01-05T14:00:00Z'));
    expect(activeWindow([weekend], t('2026-01-05T14:00:00Z'), SH)).toBeNull();
  });
});

describe('recurring windows across the New York DST changes (durations are elapsed minutes)', () => {
  const w = recurring('night', '0 1 * * *', 120);

  it('spring forward 2026-03-08: 01:00 EST + 120 min ends at 04:00 EDT, not 03:00', () => {
    const hit = { id: 'night', reason: 'nightly', start: t('2026-03-08T06:00:00Z'), end: t('2026-03-08T08:00:00Z') };
    expect(activeWindow([w], t('2026-03-08T07:30:00Z'), NY)).toEqual(hit); // 03:30 EDT
    expect(activeWindow([w], t('2026-03-08T07:59:59.999Z'), NY)).toEqual(hit);
    expect(activeWindow([w], t('2026-03-08T08:00:00Z'), NY)).toBeNull();
  });

  it('fall back 2026-11-01: starts once, at the first 01:00 (EDT), and ends at 02:00 EST', () => {
    const hit = { id: 'night', reason: 'nightly', start: t('2026-11-01T05:00:00Z'), end: t('2026-11-01T07:00:00Z') };
    expect(activeWindow([w], t('2026-11-01T06:30:00Z'), NY)).toEqual(hit); // the second 01:30, EST
    expect(activeWindow([w], t('2026-11-01T07:00:00Z'), NY)).toBeNull();
    expect(nextWindow([w], t('2026-11-01T05:00:00Z'), NY)?.start).toBe(t('2026-11-02T06:00:00Z'));
  });

  it('a start in the spring-forward gap runs at 03:00 EDT', () => {
    const gap = recurring('gap', '30 2 * * *', 60);
    expect(nextWindow([gap], t('2026-03-08T05:00:00Z'), NY)?.start).toBe(t('2026-03-08T07:00:00Z'));
    expect(activeWindow([gap], t('2026-03-08T07:59:59.999Z'), NY)?.start).toBe(t('2026-03-08T07:00:00Z'));
  });

  it('a one-off window given in ISO with offsets spans the change as its instants say', () => {
    const config = FleetConfig.parse({
      version: 1,
      stores: [
        {
          id: 'nyc',
          name: 'NYC',
          timezone: NY,
          activeEndpoint: 'http://nyc.example',
          nodes: [
            { id: 'a', url: 'http://a.example' },
            { id: 'b', url: 'http://b.example' },
          ],
        },
      ],
      maintenance: [
        { id: 'dst', stores: ['nyc'], start: '2026-03-08T01:00:00-05:00', end: '2026-03-08T04:00:00-04:00' },
      ],
    });
    const [store] = config.stores;
    if (!store) throw new Error('no store');
    const windows = windowsFor(config.maintenance, store);
    expect(activeWindow(windows, t('2026-03-08T07:59:59.999Z'), NY)).toEqual({
      id: 'dst',
      reason: 'planned maintenance',
      start: t('2026-03-08T06:00:00Z'),
      end: t('2026-03-08T08:00:00Z'),
    });
    expect(activeWindow(windows, t('2026-03-08T08:00:00Z'), NY)).toBeNull();
  });
});

describe('several windows', () => {
  const nightly = recurring('nightly', '0 1 * * *', 60);
  const upgrade = once('upgrade', '2026-05-01T00:30:00Z', '2026-05-01T03:00:00Z');

  it('answers the covering window that ends last', () => {
    expect(activeWindow([nightly, upgrade], t('2026-05-01T01:30:00Z'), 'UTC')?.id).toBe('upgrade');
    expect(activeWindow([upgrade, nightly], t('2026-05-01T01:30:00Z'), 'UTC')?.id).toBe('upgrade');
    const longer = recurring('longer', '0 1 * * *', 240);
    expect(activeWindow([nightly, longer, upgrade], t('2026-05-01T01:30:00Z'), 'UTC')?.id).toBe('longer');
  });

  it('names the earliest next start, whichever kind', () => {
    expect(nextWindow([nightly, upgrade], t('2026-04-30T12:00:00Z'), 'UTC')?.id).toBe('upgrade');
    expect(nextWindow([nightly, upgrade], t('2026-05-01T00:45:00Z'), 'UTC')?.start).toBe(t('2026-05-01T01:00:00Z'));
  });

  it('covers nothing with no windows', () => {
    expect(activeWindow([], 0, 'UTC')).toBeNull();
    expect(nextWindow([], 0, 'UTC')).toBeNull();
  });

  it('skips a window with neither start and end nor cron and duration, or with an empty span', () => {
    const now = t('2026-05-01T01:30:00Z');
    const broken: StoreWindow[] = [
      { id: 'open-ended', reason: 'x', start: t('2026-05-01T00:00:00Z') },
      { id: 'no-duration', reason: 'x', cron: '* * * * *' },
      { id: 'zero', reason: 'x', cron: '* * * * *', durationMinutes: 0 },
      { id: 'backwards', reason: 'x', start: t('2026-05-02T00:00:00Z'), end: t('2026-05-01T00:00:00Z') },
    ];
    expect(activeWindow(broken, now, 'UTC')).toBeNull();
    expect(nextWindow(broken, now, 'UTC')).toBeNull();
  });

  it('a cron that never fires (30 February) covers nothing and has no next start', () => {
    const never = recurring('never', '0 0 30 2 *', 60);
    expect(activeWindow([never], t('2026-05-01T01:30:00Z'), 'UTC')).toBeNull();
    expect(nextWindow([never], t('2026-05-01T01:30:00Z'), 'UTC')).toBeNull();
  });

  it('throws, naming the expression, for a cron that does not parse', () => {
    expect(() => activeWindow([recurring('bad', '61 * * * *', 10)], 0, 'UTC')).toThrow(/cron "61 \* \* \* \*"/);
  });
});
