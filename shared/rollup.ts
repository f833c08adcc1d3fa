/**
 * Storage rollups for probe rounds. Cloudflare bills SQLite rows written and the budget is 0.1 row per
 * probe, so a StoreMonitor folds its rounds in memory here and writes one minute row (plus one upsert of
 * the day row) per minute instead of one row per probe.
 *
 * Uptime is accounted in time, not in rounds: rounds run every 5 s when healthy and every 1 s while
 * something fails, so counting rounds would weigh an outage five times more than the same span of health.
 * Pure: no I/O, no clock; every time is milliseconds since the epoch, passed in.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** Minute rows serve the 24 h window and recent charts; twice that leaves room for a late reader. */
export const MINUTE_RETENTION_MS = 48 * 60 * 60 * 1000;
/** Day rows serve the 90 d window and a year-long status history, with a margin. */
export const DAY_RETENTION_DAYS = 400;

/** What the monitor hands over after each probe round. */
export interface RoundSample {
  /** When the round finished. */
  at: number;
  /** A reachable, healthy primary answered in this round. */
  primaryServing: boolean;
  /** Endpoint ids like 'node:gz-a', 'tcp:gz-a', 'active', 'arbiter'. */
  probes: Array<{ endpoint: string; ok: boolean; latencyMs: number | null; lagSeconds: number | null }>;
}

export interface EndpointStats {
  up: number;
  down: number;
  latencyMin: number | null;
  latencySum: number;
  latencyCount: number;
  latencyMax: number | null;
  maxLagSeconds: number | null;
}

export interface MinuteRollup {
  /** Start of the UTC minute. */
  minute: number;
  servingMs: number;
  monitoredMs: number;
  endpoints: Record<string, EndpointStats>;
}

export interface DayRollup {
  /** UTC day index, `dayIndex(ms)`. */
  day: number;
  servingMs: number;
  monitoredMs: number;
  failovers: number;
  endpoints: Record<string, { up: number; down: number }>;
}

/**
 * The in-memory fold. Plain data so it can be inspected, logged or persisted as JSON.
 * `open` is the latest minute that has received anything; `last` is the previous round, whose serving
 * state covers the time until the next round.
 */
export interface RollupAccumulator {
  open: MinuteRollup | null;
  last: { at: number; primaryServing: boolean } | null;
}

export interface AddRoundResult {
  acc: RollupAccumulator;
  /** Minutes strictly before the minute of the round just added, oldest first: final, ready to write. */
  completed: MinuteRollup[];
}

export function minuteStart(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function dayIndex(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function startAccumulator(): RollupAccumulator {
  return { open: null, last: null };
}

export function emptyMinute(minute: number): MinuteRollup {
  return { minute, servingMs: 0, monitoredMs: 0, endpoints: {} };
}

/**
 * Folds one round in. The span since the previous round is credited to the previous round's state (that
 * is what was known during it), at most `maxGapMs` of it: beyond that the monitor was asleep or
 * restarting and the rest is unmonitored, neither up nor down. The first round after a start has no
 * previous round, so it brings probe counts but no time.
 */
export function addRound(acc: RollupAccumulator, sample: RoundSample, maxGapMs: number): AddRoundResult {
  if (!(maxGapMs > 0) || !Number.isFinite(maxGapMs)) {
    throw new RangeError(`rollup: maxGapMs must be a positive finite number of ms, got ${maxGapMs}`);
  }
  const completed: MinuteRollup[] = [];
  let open = acc.open === null ? null : cloneMinute(acc.open);

  // Minutes only move forward. A round stamped before the open minute (a clock step back) is folded into
  // the open minute rather than reopening one that may already be written.
  const minuteAt = (start: number): MinuteRollup => {
    if (open === null || open.minute < start) {
      if (open !== null) completed.push(open);
      open = emptyMinute(start);
    }
    return open;
  };

  const last = acc.last;
  if (last !== null && sample.at > last.at) {
    const end = last.at + Math.min(sample.at - last.at, maxGapMs);
    for (let t = last.at; t < end; ) {
      const start = minuteStart(t);
      const segmentEnd = Math.min(end, start + MINUTE_MS);
      const bucket = minuteAt(start);
      bucket.monitoredMs += segmentEnd - t;
      if (last.primaryServing) bucket.servingMs += segmentEnd - t;
      t = segmentEnd;
    }
  }

  const target = minuteAt(minuteStart(sample.at));
  for (const probe of sample.probes) {
    target.endpoints[probe.endpoint] = foldProbe(target.endpoints[probe.endpoint] ?? emptyStats(), probe);
  }

  // Keeping the later time after a step back stops the same span from being credited twice.
  const at = last === null ? sample.at : Math.max(last.at, sample.at);
  return { acc: { open: target, last: { at, primaryServing: sample.primaryServing } }, completed };
}

/**
 * The minute still being filled, for a live read or a last write before shutdown; null before any round.
 * A flushed minute is not final: if it is written, the accumulator should be dropped (or the row merged
 * with `mergeMinutes` when the same minute completes), and it must not also be merged into the day twice.
 */
export function flush(acc: RollupAccumulator): MinuteRollup | null {
  return acc.open === null ? null : cloneMinute(acc.open);
}

/** Two partial rows of the same minute (written before and after a restart) into one. */
export function mergeMinutes(a: MinuteRollup, b: MinuteRollup): MinuteRollup {
  if (a.minute !== b.minute) {
    throw new RangeError(`rollup: cannot merge minute ${b.minute} into minute ${a.minute}`);
  }
  const endpoints: Record<string, EndpointStats> = {};
  for (const [id, stats] of Object.entries(a.endpoints)) endpoints[id] = { ...stats };
  for (const [id, stats] of Object.entries(b.endpoints)) {
    const existing = endpoints[id];
    endpoints[id] = existing === undefined ? { ...stats } : mergeStats(existing, stats);
  }
  return {
    minute: a.minute,
    servingMs: a.servingMs + b.servingMs,
    monitoredMs: a.monitoredMs + b.monitoredMs,
    endpoints,
  };
}

/** Maps a time to its day index: UTC by default, or a store's local days (shared/local-day.ts). */
export type DayOf = (ms: number) => number;

/** Adds a completed minute to its day's row (null when that day has no row yet). */
export function mergeIntoDay(day: DayRollup | null, minute: MinuteRollup, dayOf: DayOf = dayIndex): DayRollup {
  const index = dayOf(minute.minute);
  if (day !== null && day.day !== index) {
    throw new RangeError(`rollup: minute ${minute.minute} belongs to day ${index}, not day ${day.day}`);
  }
  const base = day ?? { day: index, servingMs: 0, monitoredMs: 0, failovers: 0, endpoints: {} };
  const endpoints: Record<string, { up: number; down: number }> = {};
  for (const [id, counts] of Object.entries(base.endpoints)) endpoints[id] = { ...counts };
  for (const [id, stats] of Object.entries(minute.endpoints)) {
    const counts = endpoints[id] ?? { up: 0, down: 0 };
    endpoints[id] = { up: counts.up + stats.up, down: counts.down + stats.down };
  }
  return {
    day: index,
    servingMs: base.servingMs + minute.servingMs,
    monitoredMs: base.monitoredMs + minute.monitoredMs,
    failovers: base.failovers,
    endpoints,
  };
}

/** Failovers are events, not probes: the monitor counts each into the day it completed on. */
export function countFailover(day: DayRollup | null, at: number, dayOf: DayOf = dayIndex): DayRollup {
  const index = dayOf(at);
  if (day !== null && day.day !== index) {
    throw new RangeError(`rollup: failover at ${at} belongs to day ${index}, not day ${day.day}`);
  }
  if (day === null) return { day: index, servingMs: 0, monitoredMs: 0, failovers: 1, endpoints: {} };
  return { ...day, failovers: day.failovers + 1, endpoints: { ...day.endpoints } };
}

/** Minute rows starting before this (ms) may be deleted. */
export function minuteRetentionCutoff(now: number): number {
  return now - MINUTE_RETENTION_MS;
}

/** Day rows with an index below this may be deleted; today counts as one of the days kept. */
export function dayRetentionCutoff(now: number, dayOf: DayOf = dayIndex): number {
  return dayOf(now) - (DAY_RETENTION_DAYS - 1);
}

function emptyStats(): EndpointStats {
  return { up: 0, down: 0, latencyMin: null, latencySum: 0, latencyCount: 0, latencyMax: null, maxLagSeconds: null };
}

function foldProbe(stats: EndpointStats, probe: RoundSample['probes'][number]): EndpointStats {
  // Only answers carry a meaningful latency: a failed probe's duration is mostly the timeout.
  const latency = probe.ok ? probe.latencyMs : null;
  return {
    up: stats.up + (probe.ok ? 1 : 0),
    down: stats.down + (probe.ok ? 0 : 1),
    latencyMin: minOf(stats.latencyMin, latency),
    latencySum: stats.latencySum + (latency ?? 0),
    latencyCount: stats.latencyCount + (latency === null ? 0 : 1),
    latencyMax: maxOf(stats.latencyMax, latency),
    maxLagSeconds: maxOf(stats.maxLagSeconds, probe.lagSeconds),
  };
}

function mergeStats(a: EndpointStats, b: EndpointStats): EndpointStats {
  return {
    up: a.up + b.up,
    down: a.down + b.down,
    latencyMin: minOf(a.latencyMin, b.latencyMin),
    latencySum: a.latencySum + b.latencySum,
    latencyCount: a.latencyCount + b.latencyCount,
    latencyMax: maxOf(a.latencyMax, b.latencyMax),
    maxLagSeconds: maxOf(a.maxLagSeconds, b.maxLagSeconds),
  };
}

function cloneMinute(minute: MinuteRollup): MinuteRollup {
  const endpoints: Record<string, EndpointStats> = {};
  for (const [id, stats] of Object.entries(minute.endpoints)) endpoints[id] = { ...stats };
  return { ...minute, endpoints };
}

function minOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
