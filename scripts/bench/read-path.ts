/**
 * The read path with 1,000 stores configured (the scale stack at its largest size): latency of the
 * public status JSON and page (edge-cached for 5 s) and of the viewer's store list (not cached)
 * under concurrent load on loopback, and where the time goes: the same requests one at a time
 * (no queue of our own), and the CPU the two workerd processes spent per request meanwhile.
 */

import type { SimStack } from '#harness/sim-stack.ts';
import { fleetConfigFor } from '#sim/demo-fleet.ts';
import type { StoreSpec } from '#sim/model.ts';
import { putConfig } from '../demo/stack.ts';
import { type LoadResult, load } from './load.ts';
import { sample, workerdUnder } from './procstat.ts';
import { sleep } from './stats.ts';

export interface PathResult {
  path: string;
  result: LoadResult;
  /** One client, back to back: the latency without our own load queueing. */
  serial: LoadResult;
  /**
   * CPU ms per request under load: the runtime workerd (worker + Fleet; its CPU for probing,
   * measured just before without load, taken out) and the proxy in front.
   */
  runtimeCpuMsPerRequest: number;
  proxyCpuMsPerRequest: number;
  /** Share of one core the runtime workerd was busy under load. */
  runtimeBusy: number;
}

export interface ReadPath {
  stores: number;
  intervalSeconds: number;
  concurrency: number;
  seconds: number;
  /** Share of one core the runtime used without reads (probing). */
  baselineBusy: number;
  results: PathResult[];
}

export const READ_PATHS = ['/api/v1/public/status', '/status', '/api/v1/stores'] as const;

export async function measureReadPath(
  stack: SimStack,
  specs: readonly StoreSpec[],
  options: {
    seconds: number;
    concurrency: number;
    intervalSeconds: number;
    log: (line: string) => void;
    paths?: readonly string[];
  },
): Promise<ReadPath> {
  if (stack.workerPid === undefined) throw new Error('the worker process has no pid');
  const pids = workerdUnder(stack.workerPid);
  if (options.intervalSeconds !== 5) {
    const config = fleetConfigFor(specs, stack.simUrl);
    config.defaults = { intervalSeconds: options.intervalSeconds, timeoutMs: 2000 };
    await putConfig(stack.base, stack.secrets.ADMIN_TOKEN, config);
    // Every monitor runs one round at once on a changed config; let that burst pass.
    await sleep(15_000);
  }
  // What the runtime spends without reads (probing): taken out of the CPU per request.
  const b0 = sample(pids.runtime);
  const bt0 = performance.now();
  await sleep(3000);
  const baselineCores = (sample(pids.runtime).cpuMs - b0.cpuMs) / (performance.now() - bt0);
  const results: PathResult[] = [];
  for (const path of options.paths ?? READ_PATHS) {
    const init: RequestInit =
      path === '/api/v1/stores' ? { headers: { authorization: `Bearer ${stack.secrets.VIEWER_TOKEN}` } } : {};
    const url = `${stack.base}${path}`;
    const serial = await load(url, init, 1, Math.max(2, options.seconds / 3));
    const r0 = sample(pids.runtime);
    const p0 = pids.proxy ? sample(pids.proxy) : null;
    const t0 = performance.now();
    const result = await load(url, init, options.concurrency, options.seconds);
    const ms = performance.now() - t0;
    const r1 = sample(pids.runtime);
    const p1 = pids.proxy ? sample(pids.proxy) : null;
    const n = Math.max(1, result.requests);
    results.push({
      path,
      result,
      serial,
      runtimeCpuMsPerRequest: Math.max(0, r1.cpuMs - r0.cpuMs - baselineCores * ms) / n,
      proxyCpuMsPerRequest: p0 && p1 ? (p1.cpuMs - p0.cpuMs) / n : Number.NaN,
      runtimeBusy: (r1.cpuMs - r0.cpuMs) / ms,
    });
    options.log(
      `read path, interval ${options.intervalSeconds} s, ${path}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${result.perSecond.toFixed(0)}/s); one at a time p50 ${serial.p50.toFixed(1)} ms; runtime ${(results.at(-1)?.runtimeCpuMsPerRequest ?? 0).toFixed(2)} ms CPU/request, busy ${((results.at(-1)?.runtimeBusy ?? 0) * 100).toFixed(0)} %`,
    );
  }
  return {
    stores: specs.length,
    intervalSeconds: options.intervalSeconds,
    concurrency: options.concurrency,
    seconds: options.seconds,
    baselineBusy: baselineCores,
    results,
  };
}
