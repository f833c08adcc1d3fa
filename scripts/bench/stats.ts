/** Order statistics for the benchmark tables: nearest-rank quantiles, no interpolation. */

export function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  p95: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread {
  const finite = xs.filter((x) => Number.isFinite(x));
  return {
    median: quantile(finite, 0.5),
    min: Math.min(...finite),
    max: Math.max(...finite),
    p95: quantile(finite, 0.95),
    n: finite.length,
  };
}

/** "12.3 (11.9 – 13.0)": the median over runs and their range. */
export function medianRange(xs: readonly number[], digits: number, unit = ''): string {
  const s = spread(xs);
  if (s.n === 0) return '—';
  const f = (x: number) => `${x.toFixed(digits)}${unit}`;
  return s.n === 1 || s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)} – ${f(s.max)})`;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
