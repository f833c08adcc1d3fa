/**
 * The availability report of one store over a span of its own calendar days: availability and
 * minutes down from the day rollups, incidents from the status log (counted as the public timeline
 * counts them), and each failover with its detection time, recovery time (RTO) and data-loss bound.
 * Pure: the monitor hands over its rows, the route formats the result.
 */
import { dayOfZone } from '../local-day.ts';
import { publicIncidents } from '../public-incidents.ts';
import type { ReportFailover, StoreAvailability } from '../schemas/availability.ts';
import type { Failover, StoreStatusName } from '../schemas/status.ts';
import { type Cell, toCsv } from './csv.ts';

export interface StoreReportInput {
  store: { id: string; name: string; region: string | null; timezone: string };
  /** Day indexes (days since 1970-01-01) of the span's first and last local day. */
  fromDay: number;
  toDay: number;
  days: ReadonlyArray<{ day: number; servingMs: number; monitoredMs: number }>;
  /** Status changes, oldest first, from before the span starts to its end. */
  changes: ReadonlyArray<{ at: number; status: StoreStatusName }>;
  failovers: readonly Failover[];
}

const DAY_MS = 86_400_000;
const tenths = (n: number) => Math.round(n * 10) / 10;
const secondsBetween = (from: string | null, to: string | null) =>
  from === null || to === null ? null : tenths((Date.parse(to) - Date.parse(from)) / 1000);

/** `YYYY-MM-DD` as a day index. */
export const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Widest UTC range (ms) that can hold the local days fromDay..toDay in any zone (-12..+14 h). */
export function spanBounds(fromDay: number, toDay: number): { start: number; end: number } {
  return { start: fromDay * DAY_MS - 14 * 3_600_000, end: (toDay + 1) * DAY_MS + 12 * 3_600_000 };
}

export function storeAvailability(input: StoreReportInput): StoreAvailability {
  const dayOf = dayOfZone(input.store.timezone);
  const inSpan = (ms: number) => {
    const day = dayOf(ms);
    return day >= input.fromDay && day <= input.toDay;
  };
  let serving = 0;
  let monitored = 0;
  for (const d of input.days) {
    if (d.day < input.fromDay || d.day > input.toDay) continue;
    serving += d.servingMs;
    monitored += d.monitoredMs;
  }
  const spells = publicIncidents(input.changes, [], Number.POSITIVE_INFINITY);
  const begun = (kind: string) => spells.filter((s) => s.kind === kind && inSpan(Date.parse(s.start))).length;
  const outages = spells.filter((s) => s.kind === 'outage');
  const failovers = input.failovers
    .filter((f) => inSpan(Date.parse(f.decidedAt)))
    .sort((a, b) => a.decidedAt.localeCompare(b.decidedAt))
    .map((f): ReportFailover => {
      const seen = f.detectedAt ?? f.decidedAt;
      // The outage it answered: the spell without a serving primary running between detection and decision.
      const outage = outages.findLast((o) => o.start <= f.decidedAt && (o.end === null || o.end >= seen));
      const start = outage?.start ?? null;
      const from = start !== null && start < seen ? start : seen;
      return {
        id: f.id,
        state: f.state,
        mode: f.mode,
        from: f.from,
        to: f.to,
        outageStartedAt: start,
        detectedAt: f.detectedAt,
        decidedAt: f.decidedAt,
        completedAt: f.completedAt,
        decisionSeconds: secondsBetween(f.detectedAt, f.decidedAt),
        rtoSeconds: f.state === 'completed' ? secondsBetween(from, f.completedAt) : null,
        lagSecondsAtDecision: f.lagSecondsAtDecision,
        dataLossAllowed: f.dataLossAllowed,
      };
    });
  return {
    ...input.store,
    availability: monitored > 0 ? (serving / monitored) * 100 : null,
    monitoredMinutes: tenths(monitored / 60_000),
    downMinutes: tenths((monitored - serving) / 60_000),
    incidents: begun('outage'),
    degradedIncidents: begun('degraded'),
    failovers,
  };
}

export const CSV_HEADER = [
  'store',
  'name',
  'region',
  'timezone',
  'from',
  'to',
  'availability_percent',
  'monitored_minutes',
  'down_minutes',
  'incidents',
  'degraded_incidents',
  'failovers',
  'failovers_completed',
  'max_decision_seconds',
  'max_rto_seconds',
  'mean_rto_seconds',
  'max_lag_seconds_at_decision',
  'failovers_allowing_data_loss',
] as const;

function maxOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}

function meanOf(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? tenths(known.reduce((a, b) => a + b, 0) / known.length) : null;
}

/** One row per store, with its failovers summed up (the JSON form lists each one). */
export function availabilityCsv(report: { from: string; to: string; stores: readonly StoreAvailability[] }): string {
  const rows = report.stores.map((s): Cell[] => [
    s.id,
    s.name,
    s.region,
    s.timezone,
    report.from,
    report.to,
    s.availability === null ? null : Number(s.availability.toFixed(4)),
    s.monitoredMinutes,
    s.downMinutes,
    s.incidents,
    s.degradedIncidents,
    s.failovers.length,
    s.failovers.filter((f) => f.state === 'completed').length,
    maxOf(s.failovers.map((f) => f.decisionSeconds)),
    maxOf(s.failovers.map((f) => f.rtoSeconds)),
    meanOf(s.failovers.map((f) => f.rtoSeconds)),
    maxOf(s.failovers.map((f) => f.lagSecondsAtDecision)),
    s.failovers.filter((f) => f.dataLossAllowed).length,
  ]);
  return toCsv(CSV_HEADER, rows);
}
