import { expect, it } from 'vitest';
import { BACKOFF_MAX_MS, BACKOFF_MIN_MS, backoffDelay } from '#extension/lib/backoff.ts';

it('doubles from 1 s and stops at 60 s', () => {
  const mid = () => 0.5;
  expect([0, 1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => backoffDelay(n, mid))).toEqual([
    1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000,
  ]);
});

it('jitters by ±20 % and never leaves 1 s … 60 s', () => {
  expect(backoffDelay(3, () => 0)).toBe(6400);
  expect(backoffDelay(3, () => 0.999999)).toBe(9600);
  for (const attempt of [0, 1, 6, 20]) {
    for (const r of [0, 0.25, 0.75, 0.999999]) {
      const d = backoffDelay(attempt, () => r);
      expect(d).toBeGreaterThanOrEqual(BACKOFF_MIN_MS);
      expect(d).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
  }
});
