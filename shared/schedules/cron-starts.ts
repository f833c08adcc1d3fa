/**
 * Cron starts in a store's time zone, through croner (the library the config schema validates
 * with, so an accepted expression is one evaluated here). croner's `nextRun(d)` is strictly after
 * `d` and `previousRuns(n, d)` strictly before `d`, to the millisecond; the helpers below name
 * which side of `at` they include so the callers cannot get a boundary wrong by one run.
 *
 * In a DST gap a start that does not exist moves to the first valid minute (`30 2 * * *` in
 * America/New_York on 2026-03-08 runs at 03:00 EDT); in a repeated hour it runs once, at the
 * first occurrence.
 */
import { Cron } from 'croner';

/** Compiled expressions, by zone and expression: a monitor re-evaluates the same few on every alarm. */
const compiled = new Map<string, Cron>();
const MAX_COMPILED = 1000;

function cron(expr: string, timeZone: string): Cron {
  const key = `${timeZone}\n${expr}`;
  let c = compiled.get(key);
  if (!c) {
    try {
      c = new Cron(expr, { timezone: timeZone, paused: true });
    } catch (err) {
      throw new Error(`cron "${expr}" (${timeZone}) does not parse: ${(err as Error).message}`, { cause: err });
    }
    // A bound, not an LRU: more than a thousand distinct schedules means something is generating them.
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, c);
  }
  return c;
}

/** The latest start at or before `at`, or null if the expression never ran before it. */
export function startAtOrBefore(expr: string, timeZone: string, at: number): number | null {
  return startBefore(expr, timeZone, at + 1);
}

/** The latest start strictly before `at`. */
export function startBefore(expr: string, timeZone: string, at: number): number | null {
  return cron(expr, timeZone).previousRuns(1, new Date(at))[0]?.getTime() ?? null;
}

/** The first start strictly after `at`, or null if it never runs again (e.g. `0 0 30 2 *`). */
export function startAfter(expr: string, timeZone: string, at: number): number | null {
  return cron(expr, timeZone).nextRun(new Date(at))?.getTime() ?? null;
}
