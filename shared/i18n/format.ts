/**
 * Dates, times and numbers for people, by locale and time zone (Intl), so a page in Chinese reads
 * "2026年11月21日周六" and one in English "Sat 21 Nov 2026", each in the store's own zone. Pure.
 */
import type { Locale } from './locale.ts';

/** English as this project writes it (day before month, 24-hour clock); Chinese as written in China. */
const INTL_TAG: Record<Locale, string> = { en: 'en-GB', 'zh-CN': 'zh-CN' };

const cache = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(INTL_TAG[locale], { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

export interface Zoned {
  locale: Locale;
  timeZone: string;
}

/** "Sat 21 Nov 2026" (Intl's en-GB adds a comma this project never wrote) / "2026年11月21日周六". */
export function dayText(iso: string, z: Zoned): string {
  const text = dateFormat(z.locale, z.timeZone, DAY).format(new Date(iso));
  return z.locale === 'en' ? text.replace(/,/g, '') : text;
}

/** "08:05" in the zone. */
export const clockText = (iso: string, z: Zoned) => dateFormat(z.locale, z.timeZone, CLOCK).format(new Date(iso));

/** The calendar day (YYYY-MM-DD) of an instant in a zone: what groups a list by day. */
export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  );
}

/** "UTC", or "GMT+8" for Asia/Shanghai: short enough to follow a time. */
export function zoneName(iso: string, z: Zoned): string {
  if (z.timeZone === 'UTC') return 'UTC';
  const parts = dateFormat(z.locale, z.timeZone, { timeZoneName: 'short' }).formatToParts(new Date(iso));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? z.timeZone;
}

/** "99.87 %" / "99.87%", never rounded up (99.999 must not read 100.00). */
export function percent(v: number | null, locale: Locale): string {
  if (v === null) return '—';
  const n = new Intl.NumberFormat(INTL_TAG[locale], { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    Math.floor(v * 100) / 100,
  );
  return locale === 'en' ? `${n} %` : `${n}%`;
}
