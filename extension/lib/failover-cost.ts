/**
 * What a failover cost, in the popup's words (contract section 8): the lag when it was decided, in
 * seconds and, where the standby's agent gave one, in bytes; and when the old primary was rebuilt as
 * a standby, with what that threw away.
 */
import { PAGE_ENGLISH } from './page-catalog.ts';
import type { Words } from './ui-catalog.ts';
import type { Failover } from './wire.ts';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** 512 B, 17.3 KiB, 16 MiB. */
export function byteText(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${UNITS[unit]}`;
}

/** "0.4 s, 17.3 KiB", "0.4 s", or null when nothing was measured. */
export function lagAtDecisionText(
  f: Pick<Failover, 'lagSecondsAtDecision' | 'lagBytesAtDecision'>,
  w: Words = PAGE_ENGLISH,
): string | null {
  const parts: string[] = [];
  const s = f.lagSecondsAtDecision;
  if (s !== null) parts.push(w('lag.s', { s: s < 10 ? Math.round(s * 10) / 10 : Math.round(s) }));
  if (f.lagBytesAtDecision !== null && f.lagBytesAtDecision !== undefined) parts.push(byteText(f.lagBytesAtDecision));
  return parts.length > 0 ? parts.join(', ') : null;
}

/** "discarded 16.8 KiB", "nothing discarded", or null when the engine could not tell. */
export function discardedText(f: Pick<Failover, 'discardedBytes'>, w: Words = PAGE_ENGLISH): string | null {
  const d = f.discardedBytes;
  if (d === null || d === undefined) return null;
  return d === 0 ? w('last.nothingDiscarded') : w('last.discarded', { bytes: byteText(d) });
}
