/**
 * String comparison whose running time does not depend on where two secrets first differ, so a
 * caller timing our answers cannot learn a signature or bearer token one character at a time.
 */

/**
 * True when `a` and `b` are identical. Always walks the longer of the two lengths with no early
 * exit; a length mismatch is folded into the same accumulator instead of returning at once.
 */
export function timingSafeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // Past the end of the shorter string charCodeAt yields NaN; `| 0` turns it into 0 without a branch.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
