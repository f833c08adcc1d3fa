/**
 * Deterministic "random" figures for the simulator: the same seed, names and time bucket always
 * give the same number, so a demo looks alive while tests and load runs stay reproducible.
 */

/** FNV-1a over UTF-16 code units, then a murmur-style finaliser to spread nearby inputs. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by its parts. */
export function unit(...parts: ReadonlyArray<string | number>): number {
  return hash32(parts.join('\u0000')) / 0x1_0000_0000;
}

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
