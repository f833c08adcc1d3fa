/**
 * What a StoreMonitor keeps over time: minute and day rollups, uptime, the event log and the raw
 * probe log. Raw probe rows are written only on an endpoint's transitions (up → down, down → up,
 * or a new reason), so a steady store writes none.
 */
import { z } from 'zod';
import { dayDate } from '#shared/local-day.ts';
import {
  type DayOf,
  type DayRollup,
  dayIndex,
  dayRetentionCutoff,
  type MinuteRollup,
  mergeIntoDay,
  minuteRetentionCutoff,
} from '#shared/rollup.ts';
import type { PublicDay, Uptime } from '#shared/schemas/api.ts';
import { EventType, type StoreEvent, StoreStatusName } from '#shared/schemas/status.ts';
import { availabilityOfDay, computeUptime, downtimeMinutes } from '#shared/uptime.ts';
import { allRows, firstRow, jsonColumn, write } from '../storage/sql.ts';

const EndpointStats = z.object({
  up: z.number(),
  down: z.number(),
  latencyMin: z.number().nullable(),
  latencySum: z.number(),
  latencyCount: z.number(),
  latencyMax: z.number().nullable(),
  maxLagSeconds: z.number().nullable(),
});
const MinuteData = z.object({
  minute: z.number(),
  servingMs: z.number(),
  monitoredMs: z.number(),
  endpoints: z.record(z.string(), EndpointStats),
});
const DayData = z.object({
  day: z.number(),
  servingMs: z.number(),
  monitoredMs: z.number(),
  failovers: z.number(),
  endpoints: z.record(z.string(), z.object({ up: z.number(), down: z.number() })),
});
const DataRow = z.object({ data: z.string() });
const EventRow = z.object({
  id: z.number(),
  at: z.number(),
  type: z.string(),
  status: z.string().nullable(),
  message: z.string(),
});

const EVENT_CAP = 10_000;

export interface EventQuery {
  limit: number;
  types: string[] | null;
  since: number | null;
  until: number | null;
  cursor: number | null;
}
const PROBE_LOG_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

export class MonitorHistory {
  rowsWritten = 0;
  private lastPrunedAt = 0;

  /** How days are counted: the store's local calendar days (UTC unless it has a time zone). */
  dayOf: DayOf = dayIndex;

  constructor(private readonly sql: SqlStorage) {}

  private w(query: string, ...args: Array<string | number | null>) {
    this.rowsWritten += write(this.sql, query, ...args);
  }

  /** Writes completed minutes, closing any day that has ended since the last minute written. */
  saveMinutes(minutes: MinuteRollup[]): void {
    for (const minute of minutes) {
      const previous = firstRow(
        this.sql,
        z.object({ minute: z.number().nullable() }),
        'SELECT max(minute) AS minute FROM minute_rollups',
      );
      this.w(
        'INSERT OR REPLACE INTO minute_rollups (minute, data) VALUES (?, ?)',
        minute.minute,
        JSON.stringify(minute),
      );
      const lastDay = previous?.minute == null ? null : this.dayOf(previous.minute);
      if (lastDay !== null && lastDay < this.dayOf(minute.minute)) this.closeDay(lastDay);
    }
  }

  private closeDay(day: number): void {
    let rollup: DayRollup | null = this.loadDay(day);
    for (const minute of this.minutesOfDay(day)) rollup = mergeIntoDay(rollup, minute, this.dayOf);
    if (rollup) this.w('INSERT OR REPLACE INTO day_rollups (day, data) VALUES (?, ?)', day, JSON.stringify(rollup));
  }

  private loadDay(day: number): DayRollup | null {
    const row = firstRow(this.sql, DataRow, 'SELECT data FROM day_rollups WHERE day = ?', day);
    return row ? jsonColumn(DayData, row.data, `day rollup ${day}`) : null;
  }

  /** A local day lies within 14 h of its UTC namesake (zones span -12..+14): read wide, keep its own. */
  private minutesOfDay(day: number): MinuteRollup[] {
    const from = day * DAY_MS - 14 * HOUR_MS;
    return this.minutesBetween(from, from + DAY_MS + 28 * HOUR_MS).filter((m) => this.dayOf(m.minute) === day);
  }

  private minutesBetween(from: number, to: number): MinuteRollup[] {
    return allRows(
      this.sql,
      DataRow,
      'SELECT data FROM minute_rollups WHERE minute >= ? AND minute < ? ORDER BY minute',
      from,
      to,
    ).map((r) => jsonColumn(MinuteData, r.data, 'minute rollup'));
  }

  /** Adds one failover to its day (today's row is created early for it; closing merges into it). */
  countFailover(at: number): void {
    const day = this.dayOf(at);
    const existing = this.loadDay(day);
    const rollup: DayRollup = existing ?? { day, servingMs: 0, monitoredMs: 0, failovers: 0, endpoints: {} };
    this.w(
      'INSERT OR REPLACE INTO day_rollups (day, data) VALUES (?, ?)',
      day,
      JSON.stringify({ ...rollup, failovers: rollup.failovers + 1 }),
    );
  }

  uptime(now: number, openMinute: MinuteRollup | null): Uptime {
    return computeUptime({ now, ...this.recent(now, openMinute), dayOf: this.dayOf });
  }

  /** The last 26 h of minutes (today's partial day is within them) and up to 90 days with today's. */
  private recent(now: number, openMinute: MinuteRollup | null): { minutes: MinuteRollup[]; days: DayRollup[] } {
    const today = this.dayOf(now);
    const minutes = this.minutesBetween(now - 26 * HOUR_MS, now + 60_000);
    if (openMinute) minutes.push(openMinute);
    const days = allRows(
      this.sql,
      DataRow,
      'SELECT data FROM day_rollups WHERE day >= ? AND day < ?',
      today - 90,
      today,
    ).map((r) => jsonColumn(DayData, r.data, 'day rollup'));
    const partial = this.today(today, minutes);
    if (partial) days.push(partial);
    return { minutes, days };
  }

  /** Today's day row so far: its stored row (failovers) with the minutes written since midnight. */
  private today(today: number, minutes: readonly MinuteRollup[]): DayRollup | null {
    let partial: DayRollup | null = this.loadDay(today);
    for (const minute of minutes) {
      if (this.dayOf(minute.minute) === today) partial = mergeIntoDay(partial, minute, this.dayOf);
    }
    return partial;
  }

  /** Closed day rows from `from` to `to` (day indexes), with today's partial day when it is in range. */
  reportDays(from: number, to: number, now: number, openMinute: MinuteRollup | null): DayRollup[] {
    const today = this.dayOf(now);
    const days = this.days(from, Math.min(to, today - 1));
    if (today < from || today > to) return days;
    const minutes = this.minutesBetween(now - 26 * HOUR_MS, now + 60_000);
    if (openMinute) minutes.push(openMinute);
    const partial = this.today(today, minutes);
    return partial ? [...days, partial] : days;
  }

  /** Uptime and the last 90 days, today's partial day included, for the public page. */
  publicDays(now: number, openMinute: MinuteRollup | null): { uptime: Uptime; days: PublicDay[] } {
    const { minutes, days } = this.recent(now, openMinute);
    const byDay = new Map(days.map((d) => [d.day, d]));
    const today = this.dayOf(now);
    const list: PublicDay[] = [];
    for (let day = today - 89; day <= today; day++) {
      const d = byDay.get(day);
      list.push({
        date: dayDate(day),
        availability: d ? availabilityOfDay(d) : null,
        downtimeMinutes: d ? downtimeMinutes(d) : 0,
        failovers: d?.failovers ?? 0,
      });
    }
    return { uptime: computeUptime({ now, minutes, days, dayOf: this.dayOf }), days: list };
  }

  /**
   * Since when the store has been watched, as far as the rollups remember: the first minute with
   * monitored time, or, once minute rows have aged out (48 h), the start of the first day's UTC date.
   * Null before any monitored time.
   */
  monitoringSince(openMinute: MinuteRollup | null): number | null {
    const Min = z.object({ at: z.number().nullable() });
    const minute = firstRow(this.sql, Min, 'SELECT min(minute) AS at FROM minute_rollups')?.at ?? null;
    const day =
      firstRow(this.sql, Min, "SELECT min(day) AS at FROM day_rollups WHERE json_extract(data, '$.monitoredMs') > 0")
        ?.at ?? null;
    const first = minute ?? (openMinute && openMinute.monitoredMs > 0 ? openMinute.minute : null);
    if (day !== null && (first === null || day < this.dayOf(first))) return Date.parse(dayDate(day));
    return first;
  }

  /** Status changes since `since`, oldest first, for the public incident timeline. */
  statusChanges(since: number): Array<{ at: number; status: StoreStatusName }> {
    return allRows(
      this.sql,
      z.object({ at: z.number(), status: z.string() }),
      "SELECT at, status FROM events WHERE type = 'status' AND at >= ? AND status IS NOT NULL ORDER BY id",
      since,
    ).map((r) => ({ at: r.at, status: StoreStatusName.parse(r.status) }));
  }

  /** Status changes from `since` to before `until`, oldest first (the availability report's incidents). */
  statusChangesBetween(since: number, until: number): Array<{ at: number; status: StoreStatusName }> {
    return this.statusChanges(since).filter((c) => c.at < until);
  }

  days(from: number, to: number): DayRollup[] {
    return allRows(
      this.sql,
      DataRow,
      'SELECT data FROM day_rollups WHERE day >= ? AND day <= ? ORDER BY day',
      from,
      to,
    ).map((r) => jsonColumn(DayData, r.data, 'day rollup'));
  }

  addEvent(at: number, type: StoreEvent['type'], message: string, status?: StoreStatusName): void {
    this.w('INSERT INTO events (at, type, status, message) VALUES (?, ?, ?, ?)', at, type, status ?? null, message);
  }

  /**
   * The store's online log, newest first: optionally only some types and a time range, paged by
   * event id (`cursor` is the id of the last event of the previous page; `next` the one for the next).
   */
  events(query: EventQuery): { events: StoreEvent[]; next: number | null } {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (query.types && query.types.length > 0) {
      where.push(`type IN (${query.types.map(() => '?').join(', ')})`);
      args.push(...query.types);
    }
    const add = (clause: string, value: number | null) => {
      if (value === null) return;
      where.push(clause);
      args.push(value);
    };
    add('at >= ?', query.since);
    add('at < ?', query.until);
    add('id < ?', query.cursor);
    const rows = allRows(
      this.sql,
      EventRow,
      `SELECT id, at, type, status, message FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ?`,
      ...args,
      query.limit + 1,
    );
    const page = rows.slice(0, query.limit);
    return {
      events: page.map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        type: EventType.parse(r.type),
        ...(r.status ? { status: StoreStatusName.parse(r.status) } : {}),
        message: r.message,
      })),
      next: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  logProbeTransition(at: number, endpoint: string, ok: boolean, error: string | null): void {
    this.w('INSERT INTO probe_log (at, endpoint, ok, error) VALUES (?, ?, ?, ?)', at, endpoint, ok ? 1 : 0, error);
  }

  /** Hourly: drop what is past retention. Deletes count as rows written, so this runs rarely. */
  prune(now: number): void {
    if (now - this.lastPrunedAt < HOUR_MS) return;
    this.lastPrunedAt = now;
    this.w('DELETE FROM minute_rollups WHERE minute < ?', minuteRetentionCutoff(now));
    this.w('DELETE FROM day_rollups WHERE day < ?', dayRetentionCutoff(now, this.dayOf));
    this.w('DELETE FROM probe_log WHERE at < ?', now - PROBE_LOG_MS);
    this.w('DELETE FROM events WHERE id <= (SELECT max(id) FROM events) - ?', EVENT_CAP);
  }
}
