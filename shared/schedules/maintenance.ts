/**
 * Whether a store is inside a maintenance window, and when the next one starts. Alerts are held
 * during a window, so the boundaries matter: a window covers `start <= now < end`.
 *
 * A one-off window has `start` and `end` (ms). A recurring one starts by `cron` in the store's
 * zone and lasts `durationMinutes` of elapsed time, so one that spans a DST change ends the same
 * number of minutes after its start (01:00 + 120 min on the spring-forward night ends at 04:00
 * EDT). A window with neither pair, or an empty span or duration, covers nothing: it is
 * skipped rather than read as open-ended, since an open-ended window would hold alerts forever.
 */
import type { StoreWindow } from '../schemas/schedules.ts';
import { startAfter, startAtOrBefore } from './cron-starts.ts';

export interface ActiveWindow {
  id: string;
  reason: string;
  start: number;
  end: number;
}

const MINUTE_MS = 60_000;

type Shape =
  | { kind: 'once'; start: number; end: number }
  | { kind: 'recurring'; cron: string; durationMs: number }
  | { kind: 'none' };

function shape(w: StoreWindow): Shape {
  if (w.start !== undefined && w.end !== undefined)
    return w.end > w.start ? { kind: 'once', start: w.start, end: w.end } : { kind: 'none' };
  if (w.cron !== undefined && w.durationMinutes !== undefined && w.durationMinutes > 0)
    return { kind: 'recurring', cron: w.cron, durationMs: w.durationMinutes * MINUTE_MS };
  return { kind: 'none' };
}

const occurrence = (w: StoreWindow, start: number, end: number): ActiveWindow => ({
  id: w.id,
  reason: w.reason,
  start,
  end,
});

/**
 * The occurrence of `w` covering `now`, or null. For a recurring window only the latest start at
 * or before `now` can be it: every occurrence lasts as long, so an earlier start ends earlier. That
 * start may be on the previous local day (`0 23 * * *` for 120 min covers 00:30).
 */
function covering(w: StoreWindow, now: number, timeZone: string): ActiveWindow | null {
  const s = shape(w);
  if (s.kind === 'once') return s.start <= now && now < s.end ? occurrence(w, s.start, s.end) : null;
  if (s.kind === 'none') return null;
  const start = startAtOrBefore(s.cron, timeZone, now);
  return start !== null && now < start + s.durationMs ? occurrence(w, start, start + s.durationMs) : null;
}

function upcoming(w: StoreWindow, now: number, timeZone: string): ActiveWindow | null {
  const s = shape(w);
  if (s.kind === 'once') return s.start > now ? occurrence(w, s.start, s.end) : null;
  if (s.kind === 'none') return null;
  const start = startAfter(s.cron, timeZone, now);
  return start === null ? null : occurrence(w, start, start + s.durationMs);
}

/**
 * The window covering `now` (the one ending last if several, so "until" shown to staff is when
 * alerts really resume; the first listed on a tie), or null. Throws if a window's cron does not
 * parse, which the config schema prevents.
 */
export function activeWindow(windows: StoreWindow[], now: number, timeZone: string): ActiveWindow | null {
  let best: ActiveWindow | null = null;
  for (const w of windows) {
    const hit = covering(w, now, timeZone);
    if (hit && (best === null || hit.end > best.end)) best = hit;
  }
  return best;
}

/** The next window start strictly after `now` (the earliest; on a tie the one ending last), or null. */
export function nextWindow(windows: StoreWindow[], now: number, timeZone: string): ActiveWindow | null {
  let best: ActiveWindow | null = null;
  for (const w of windows) {
    const next = upcoming(w, now, timeZone);
    if (next && (best === null || next.start < best.start || (next.start === best.start && next.end > best.end)))
      best = next;
  }
  return best;
}
