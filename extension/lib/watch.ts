/**
 * Which stores the user watches. Both lists empty: every store. Otherwise a store is watched when
 * its id is in `stores` or its region is in `regions` (regions compared without case), so
 * "all of South China plus gz-tianhe" is expressible.
 */

export interface WatchList {
  stores: string[];
  regions: string[];
}

export function isWatched(store: { id: string; region: string | null }, watch: WatchList): boolean {
  if (watch.stores.length === 0 && watch.regions.length === 0) return true;
  if (watch.stores.includes(store.id)) return true;
  const region = store.region?.trim().toLowerCase();
  return region !== undefined && watch.regions.some((r) => r.trim().toLowerCase() === region);
}

export function watchedOnly<T extends { id: string; region: string | null }>(stores: T[], watch: WatchList): T[] {
  return stores.filter((s) => isWatched(s, watch));
}

/** Free text (commas or new lines) → a clean list without blanks or duplicates. */
export function parseList(text: string): string[] {
  const items = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return [...new Set(items)];
}
