import { ENGLISH, type Words } from './ui-catalog.ts';

/** "just now", "45 s ago", "12 min ago", "3 h ago", "2 d ago": how long ago, for a glance. */
export function relativeTime(at: number, now: number, w: Words = ENGLISH): string {
  const s = Math.round((now - at) / 1000);
  if (s < 5) return w('ago.now');
  if (s < 90) return w('ago.s', { n: s });
  const min = Math.round(s / 60);
  if (min < 90) return w('ago.min', { n: min });
  const h = Math.round(min / 60);
  if (h < 36) return w('ago.h', { n: h });
  return w('ago.d', { n: Math.round(h / 24) });
}

/** "45 s", "4 min 10 s", "1 h 5 min", "3 d": a duration to count down or up, to the second under 10 min. */
export function countdown(ms: number, w: Words = ENGLISH): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return w('unit.s', { s });
  const min = Math.floor(s / 60);
  if (min < 10) return s % 60 === 0 ? w('unit.min', { min }) : w('unit.minS', { min, s: s % 60 });
  if (min < 60) return w('unit.min', { min });
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 === 0 ? w('unit.h', { h }) : w('unit.hMin', { h, min: min % 60 });
  return w('unit.d', { d: Math.floor(h / 24) });
}

/** ISO text from the server, or null when it does not parse (then the caller shows nothing). */
export function relativeIso(iso: string | null, now: number, w: Words = ENGLISH): string | null {
  if (iso === null) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : relativeTime(at, now, w);
}
