import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { availabilityCsv, dayNumber, type StoreReportInput, storeAvailability } from '#shared/report/availability.ts';
import { toCsv } from '#shared/report/csv.ts';
import type { Failover } from '#shared/schemas/status.ts';

const at = (iso: string) => Date.parse(iso);
const DAY = dayNumber('2026-11-21');

function failover(over: Partial<Failover>): Failover {
  return {
    id: 'f1',
    epoch: 2,
    from: 'a',
    to: 'b',
    mode: 'auto',
    requestedBy: 'auto',
    reason: 'primary lost',
    state: 'completed',
    detectedAt: '2026-11-21T02:03:05.000Z',
    decidedAt: '2026-11-21T02:03:08.000Z',
    completedAt: '2026-11-21T02:03:10.000Z',
    lagSecondsAtDecision: 0.5,
    dataLossAllowed: false,
    ...over,
  };
}

function input(over: Partial<StoreReportInput>): StoreReportInput {
  return {
    store: { id: 's', name: 'S', region: null, timezone: 'UTC' },
    fromDay: DAY,
    toDay: DAY,
    days: [],
    changes: [],
    failovers: [],
    ...over,
  };
}

describe('storeAvailability', () => {
  it('sums the days in the span only, and says null (never 100) for a span never monitored', () => {
    const days = [
      { day: DAY - 1, servingMs: 0, monitoredMs: 86_400_000 },
      { day: DAY, servingMs: 3_000_000, monitoredMs: 3_600_000 },
    ];
    expect(storeAvailability(input({ days }))).toMatchObject({ monitoredMinutes: 60, downMinutes: 10 });
    expect(storeAvailability(input({ days })).availability).toBeCloseTo(83.333, 3);
    expect(storeAvailability(input({ days: [] })).availability).toBeNull();
  });

  it("counts an incident on the store's own calendar day", () => {
    // 20:00 UTC on the 20th is 04:00 on the 21st in Shanghai.
    const changes = [
      { at: at('2026-11-20T20:00:00Z'), status: 'primary_down' as const },
      { at: at('2026-11-20T20:05:00Z'), status: 'healthy' as const },
      { at: at('2026-11-21T01:00:00Z'), status: 'degraded' as const },
      { at: at('2026-11-21T01:30:00Z'), status: 'healthy' as const },
    ];
    expect(storeAvailability(input({ changes }))).toMatchObject({ incidents: 0, degradedIncidents: 1 });
    const shanghai = { id: 's', name: 'S', region: null, timezone: 'Asia/Shanghai' };
    expect(storeAvailability(input({ changes, store: shanghai }))).toMatchObject({
      incidents: 1,
      degradedIncidents: 1,
    });
  });

  it('measures a failover from the outage it answered, and leaves RTO empty unless it completed', () => {
    const changes = [
      { at: at('2026-11-21T02:03:00Z'), status: 'primary_down' as const },
      { at: at('2026-11-21T02:03:10Z'), status: 'degraded' as const },
    ];
    const [done] = storeAvailability(input({ changes, failovers: [failover({})] })).failovers;
    expect(done).toMatchObject({
      outageStartedAt: '2026-11-21T02:03:00.000Z',
      decisionSeconds: 3,
      rtoSeconds: 10,
      lagSecondsAtDecision: 0.5,
    });
    const [failed] = storeAvailability(
      input({ changes, failovers: [failover({ state: 'failed', completedAt: null })] }),
    ).failovers;
    expect(failed).toMatchObject({ rtoSeconds: null, outageStartedAt: '2026-11-21T02:03:00.000Z' });
    // A switchover while healthy answered no outage: measured from its detection.
    const [switchover] = storeAvailability(input({ failovers: [failover({ mode: 'manual' })] })).failovers;
    expect(switchover).toMatchObject({ outageStartedAt: null, rtoSeconds: 5 });
  });

  it('leaves out failovers decided outside the span', () => {
    const late = failover({ decidedAt: '2026-11-22T00:00:01.000Z' });
    expect(storeAvailability(input({ failovers: [late] })).failovers).toEqual([]);
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and reads back exactly', () => {
    const cells = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' edge ', '', null, 3.5, true] as const;
    const text = toCsv(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9'], [cells]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parse(text, { columns: true })).toEqual([
      { h1: 'plain', h2: 'a,b', h3: 'say "hi"', h4: 'two\nlines', h5: ' edge ', h6: '', h7: '', h8: '3.5', h9: 'true' },
    ]);
  });

  it('writes one row per store under the header, figures summed', () => {
    const store = storeAvailability(
      input({ days: [{ day: DAY, servingMs: 50, monitoredMs: 100 }], failovers: [failover({})] }),
    );
    const [row] = parse(availabilityCsv({ from: '2026-11-21', to: '2026-11-21', stores: [store] }), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(row).toMatchObject({
      store: 's',
      availability_percent: '50',
      failovers: '1',
      failovers_completed: '1',
      max_rto_seconds: '5',
      max_lag_seconds_at_decision: '0.5',
    });
  });
});
