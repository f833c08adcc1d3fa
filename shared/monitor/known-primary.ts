/**
 * What a round teaches the monitor to remember about its store across restarts: the primary last
 * seen serving (so a primary that stops answering is still known by name) and the store's epoch.
 */
import type { Classification } from '../classify.ts';

export interface Remembered {
  knownPrimary: string | null;
  /** Null until the monitor's first contact with the store. */
  epoch: number | null;
}

export function remember(
  previous: Remembered,
  c: Pick<Classification, 'primary' | 'primaryServing' | 'epoch'>,
): Remembered {
  return {
    knownPrimary: c.primaryServing ? c.primary : previous.knownPrimary,
    epoch: Math.max(previous.epoch ?? 0, c.epoch),
  };
}

export function sameMemory(a: Remembered, b: Remembered): boolean {
  return a.knownPrimary === b.knownPrimary && a.epoch === b.epoch;
}
