/**
 * Calendar days in a store's time zone. A store's day rollups, its 90-day bar and its 7/30/90-day
 * uptime follow the days its staff live by; UTC is the default. Local midnights always fall on a
 * minute boundary (zone offsets are whole quarter hours), so minute rollups split cleanly into days.
 */
const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Days since 1970-01-01 of the local calendar date at `ms` in `timeZone`. */
export function localDayIndex(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return Math.floor(ms / DAY_MS);
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of formatter(timeZone).formatToParts(ms)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
  }
  return Math.floor(Date.UTC(year, month - 1, day) / DAY_MS);
}

/** `YYYY-MM-DD` of a day index. */
export function dayDate(index: number): string {
  return new Date(index * DAY_MS).toISOString().slice(0, 10);
}

export function dayOfZone(timeZone: string): (ms: number) => number {
  return (ms) => localDayIndex(ms, timeZone);
}
