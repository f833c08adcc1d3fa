/**
 * A small closed-loop load generator for loopback benchmarks: `concurrency` clients each send the
 * next request as soon as the last one answered, for `seconds`; latencies in ms, errors counted.
 */
export interface LoadResult {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
}

export async function load(url: string, init: RequestInit, concurrency: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        try {
          const res = await fetch(url, init);
          await res.arrayBuffer();
          if (!res.ok) errors += 1;
        } catch {
          errors += 1;
        }
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
  return {
    requests: latencies.length,
    errors,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? Number.NaN,
    perSecond: latencies.length / seconds,
  };
}
