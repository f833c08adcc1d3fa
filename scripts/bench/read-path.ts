/**
 * The read path with 1,000 stores configured (the simulated fleet, the worker under wrangler dev):
 * latency of the public status JSON and page (edge-cached for 5 s) and of the viewer's store list
 * (not cached) under concurrent load on loopback, and the status page's weight for 40 stores.
 */
import { gzipSync } from 'node:zlib';
import { demoStoreSpecs } from '../../agent/sim/demo-fleet.ts';
import { startSimStack } from '../../test/support/sim-stack.ts';
import { type LoadResult, load } from './load.ts';

export interface ReadPath {
  stores: number;
  intervalSeconds: number;
  results: Array<{ path: string; result: LoadResult }>;
  page40: { raw: number; gzip: number };
}

async function settle(base: string, token: string, count: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const res = await fetch(`${base}/api/v1/stores`, { headers: { authorization: `Bearer ${token}` } });
    const { stores } = (await res.json()) as { stores: Array<{ checkedAt: string | null }> };
    if (stores.filter((s) => s.checkedAt !== null).length >= count) return;
    if (Date.now() > deadline) throw new Error('read-path bench: the fleet did not come up within 5 minutes');
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function measureReadPath(
  seconds: number,
  concurrency: number,
  intervalSeconds: number,
): Promise<ReadPath> {
  const page40 = await (async () => {
    const stack = await startSimStack(demoStoreSpecs({ stores: 40 }), { intervalSeconds: 5, timeoutMs: 2000 });
    try {
      await settle(stack.base, stack.secrets.VIEWER_TOKEN, 40);
      const html = Buffer.from(await (await fetch(`${stack.base}/status`)).arrayBuffer());
      return { raw: html.length, gzip: gzipSync(html).length };
    } finally {
      await stack.close();
    }
  })();

  const stores = 1000;
  const stack = await startSimStack(demoStoreSpecs({ stores }), { intervalSeconds, timeoutMs: 2000 });
  try {
    await settle(stack.base, stack.secrets.VIEWER_TOKEN, stores);
    // Let the start-up burst (every store's first status and history) pass: measure steady state.
    await new Promise((r) => setTimeout(r, 30_000));
    const results: ReadPath['results'] = [];
    for (const [path, init] of [
      ['/api/v1/public/status', {}],
      ['/status', {}],
      ['/api/v1/stores', { headers: { authorization: `Bearer ${stack.secrets.VIEWER_TOKEN}` } }],
    ] as const) {
      results.push({ path, result: await load(`${stack.base}${path}`, init, concurrency, seconds) });
    }
    return { stores, intervalSeconds, results, page40 };
  } finally {
    await stack.close();
  }
}
