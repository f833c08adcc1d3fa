/**
 * Uptime as the share of monitored time during which the primary was serving. Time the monitor did not
 * watch counts neither way, and a window with no monitored time is null: a store with no data must never
 * read as 100 %. The 24 h window comes from minute rows (exact to the minute), the longer ones from day
 * rows (today's partial day plus the N - 1 whole days before it).
 */

import { type DayOf, type DayRollup, dayIndex, type MinuteRollup } from './rollup.ts';
import type { Uptime } from './schemas/api.ts';

const DAY_WINDOWS = { '7d': 7, '30d': 30, '90d': 90 } as const;
const HOURS_24_MS = 24 * 60 * 60 * 1000;

export interface UptimeInput {
  now: number;
  minutes: readonly MinuteRollup[];
  days: readonly DayRollup[];
  /** How `days` are indexed: UTC by default, or the store's local days. */
  dayOf?: DayOf;
}

/** Percentages 0..100, unrounded, so a display can choose its own precision. */
export function computeUptime({ now, minutes, days, dayOf = dayIndex }: UptimeInput): Uptime {
  const since = now - HOURS_24_MS;
  const today = dayOf(now);
  const inDays = (n: number) => days.filter((d) => d.day >= today - (n - 1));
  return {
    '24h': percentServing(minutes.filter((m) => m.minute >= since)),
    '7d': percentServing(inDays(DAY_WINDOWS['7d'])),
    '30d': percentServing(inDays(DAY_WINDOWS['30d'])),
    '90d': percentServing(inDays(DAY_WINDOWS['90d'])),
  };
}

/** One day's availability for a status page bar; null when the day was not monitored at all. */
export function availabilityOfDay(day: DayRollup): number | null {
  return percentServing([day]);
}

/** Minutes of monitored time without a serving primary, to one decimal, for a status page tooltip. */
export function downtimeMinutes(day: DayRollup): number {
  return Math.round(((day.monitoredMs - day.servingMs) / 60_000) * 10) / 10;
}

function percentServing(rows: ReadonlyArray<{ servingMs: number; monitoredMs: number }>): number | null {
  let serving = 0;
  let monitored = 0;
  for (const row of rows) {
    serving += row.servingMs;
    monitored += row.monitoredMs;
  }
  return monitored > 0 ? (serving / monitored) * 100 : null;
}
