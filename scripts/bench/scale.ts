/**
 * Scale: one worker under `wrangler dev` (local state on tmpfs) and one simulated fleet, grown
 * from the smallest size to the largest. At each size, after a warm-up, a few measurement windows:
 * probe rounds per second (seen by the stores, see round-clock.ts), their lateness against the
 * schedule, the runtime workerd's CPU time per round and its memory. The same stack then serves
 * the rows-written snapshot (the first stores, over the whole run) and, at the largest size, the
 * read path (`afterLargest`).
 */

import { type SimStack, startSimStack } from '#harness/sim-stack.ts';
import { StoreStatus } from '#shared/schemas/status.ts';
import { demoStoreSpecs, fleetConfigFor } from '#sim/demo-fleet.ts';
import type { StoreSpec } from '#sim/model.ts';
import { putConfig } from '../demo/stack.ts';
import { type RowSnapshot, rowsAdded, snapshotRows } from './monitor-rows.ts';
import { machineTicks, sample, selfCpuMs, workerdUnder } from './procstat.ts';
import { RoundClock } from './round-clock.ts';
import { quantile, sleep } from './stats.ts';

const INTERVAL_S = 5;

export interface ScaleRun {
  seconds: number;
  rounds: number;
  roundsPerSecond: number;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  /** Runtime workerd CPU per round, ms. */
  cpuMsPerRound: number;
  /** Share of one core the runtime workerd used, and this process (simulator and benchmark). */
  runtimeCores: number;
  benchCores: number;
  /** Busy share of all the machine's cores (other work included). */
  machineBusy: number;
  rssMiB: number;
  hwmMiB: number;
}

export interface ScaleStep {
  stores: number;
  /** Probes per round, averaged over the fleet's stores (nodes + active endpoint + arbiter). */
  probesPerRound: number;
  warmupSeconds: number;
  runs: ScaleRun[];
}

export interface RowsMeasure {
  stores: number;
  seconds: number;
  rounds: number;
  probes: number;
  added: Record<string, number>;
  /**
   * Rows the monitors counted writing themselves (cursor.rowsWritten), when their status carries
   * \`counters.rowsWritten\` on \`/api/v1/stores/:id\`; null while it does not.
   */
  counted: number | null;
  minuteRowBytes: number | null;
  bytesPerStore: number;
}

export interface ScaleResult {
  steps: ScaleStep[];
  rows: RowsMeasure | null;
  page40: { raw: number; gzip: number } | null;
}

export interface ScaleOptions {
  sizes: number[];
  runs: number;
  windowSeconds: number;
  /** Rounds every store must have run before a size is measured (3 are the monitor's start-up). */
  warmRounds: number;
  log: (line: string) => void;
  /** Called once the worker answers (another \`wrangler dev\` may start then without a port race). */
  onStarted?: () => void;
  /** Runs at the largest size after its windows, on the same stack (the read path). */
  afterLargest?: (stack: SimStack, specs: StoreSpec[]) => Promise<void>;
}

function probesPerRound(specs: readonly StoreSpec[]): number {
  const total = specs.reduce((n, s) => n + s.nodes.length + 1 + (s.arbiter ? 1 : 0), 0);
  return total / specs.length;
}

interface Counters {
  rounds: number;
  probes: number;
  /** NaN when a monitor does not report it. */
  rowsWritten: number;
}

async function counters(stack: SimStack, ids: readonly string[]): Promise<Counters> {
  const sum = { rounds: 0, probes: 0, rowsWritten: 0 };
  for (const id of ids) {
    const res = await fetch(`${stack.base}/api/v1/stores/${id}`, {
      headers: { authorization: `Bearer ${stack.secrets.VIEWER_TOKEN}` },
    });
    const body = StoreStatus.parse(await res.json());
    sum.rounds += body.counters?.rounds ?? 0;
    sum.probes += body.counters?.probes ?? 0;
    sum.rowsWritten += body.counters?.rowsWritten ?? Number.NaN;
  }
  return sum;
}

export async function measureScale(options: ScaleOptions): Promise<ScaleResult> {
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const largest = sizes.at(-1) ?? 10;
  const specs = demoStoreSpecs({ stores: Math.max(largest, 40) });
  const clock = new RoundClock(specs, { promoteDelayMs: 0, log: () => undefined });
  const defaults = { intervalSeconds: INTERVAL_S, timeoutMs: 2000 };
  const first = sizes[0] ?? 10;
  const stack = await startSimStack(specs.slice(0, first), defaults, { sim: clock });
  options.onStarted?.();
  const result: ScaleResult = { steps: [], rows: null, page40: null };
  try {
    if (stack.workerPid === undefined) throw new Error('the worker process has no pid');
    const pids = workerdUnder(stack.workerPid);
    const firstIds = specs.slice(0, first).map((s) => s.id);
    let rowsBefore: { snap: RowSnapshot; at: number; counters: Counters } | null = null;
    let current = first;

    /** Adds stores in ten slices across one interval, so their rounds do not all fall together. */
    const growTo = async (size: number) => {
      const slices = 10;
      for (let k = 1; k <= slices; k++) {
        const upTo = current + Math.ceil(((size - current) * k) / slices);
        const config = fleetConfigFor(specs.slice(0, upTo), stack.simUrl);
        config.defaults = defaults;
        await putConfig(stack.base, stack.secrets.ADMIN_TOKEN, config);
        await sleep((INTERVAL_S * 1000) / slices);
      }
      current = size;
    };
    /** Until every store has run `warmRounds` rounds (past start-up: one interval more). */
    const warmUp = async (ids: string[]) => {
      const started = performance.now();
      const deadline = Date.now() + 180_000;
      while (clock.rounds(ids).some((n) => n < options.warmRounds)) {
        if (Date.now() > deadline) throw new Error(`scale bench: ${ids.length} stores not warm within 3 minutes`);
        await sleep(500);
      }
      if (options.warmRounds > 3) await sleep(INTERVAL_S * 1000);
      return (performance.now() - started) / 1000;
    };

    for (const size of sizes) {
      if (size > current) {
        if (current < 40 && size > 40) {
          await growTo(40);
          result.page40 = await pageWeight(stack, clock, specs.slice(0, 40));
        }
        await growTo(size);
      }
      const ids = specs.slice(0, size).map((s) => s.id);
      options.log(`scale: ${size} stores, warming up…`);
      const warmupSeconds = await warmUp(ids);
      if (!rowsBefore) {
        rowsBefore = {
          snap: await snapshotRows(stack.stateDir),
          at: performance.now(),
          counters: await counters(stack, firstIds),
        };
      }
      const runs: ScaleRun[] = [];
      for (let r = 0; r < options.runs; r++) {
        const t0 = performance.now();
        const [cpu0, self0, m0] = [sample(pids.runtime), selfCpuMs(), machineTicks()];
        await sleep(options.windowSeconds * 1000);
        const t1 = performance.now();
        const [cpu1, self1, m1] = [sample(pids.runtime), selfCpuMs(), machineTicks()];
        const seconds = (t1 - t0) / 1000;
        const w = clock.window(ids, t0, t1, INTERVAL_S * 1000);
        const run: ScaleRun = {
          seconds,
          rounds: w.count,
          roundsPerSecond: w.count / seconds,
          latenessP50: quantile(w.lateness, 0.5),
          latenessP99: quantile(w.lateness, 0.99),
          latenessMax: Math.max(...w.lateness),
          cpuMsPerRound: (cpu1.cpuMs - cpu0.cpuMs) / Math.max(1, w.count),
          runtimeCores: (cpu1.cpuMs - cpu0.cpuMs) / (t1 - t0),
          benchCores: (self1 - self0) / (t1 - t0),
          machineBusy: (m1.busy - m0.busy) / Math.max(1, m1.total - m0.total),
          rssMiB: cpu1.rssKiB / 1024,
          hwmMiB: cpu1.hwmKiB / 1024,
        };
        runs.push(run);
        options.log(
          `scale: ${size} stores run ${r + 1}: ${run.roundsPerSecond.toFixed(1)} rounds/s, lateness p50 ${run.latenessP50.toFixed(0)} ms p99 ${run.latenessP99.toFixed(0)} ms, ${run.cpuMsPerRound.toFixed(2)} ms CPU/round, runtime ${(run.runtimeCores * 100).toFixed(0)} % of a core, RSS ${run.rssMiB.toFixed(0)} MiB`,
        );
      }
      result.steps.push({
        stores: size,
        probesPerRound: probesPerRound(specs.slice(0, size)),
        warmupSeconds,
        runs,
      });
    }

    if (rowsBefore) {
      const after = await snapshotRows(stack.stateDir, [...rowsBefore.snap.files.keys()]);
      const c = await counters(stack, firstIds);
      result.rows = {
        stores: firstIds.length,
        seconds: (performance.now() - rowsBefore.at) / 1000,
        rounds: c.rounds - rowsBefore.counters.rounds,
        probes: c.probes - rowsBefore.counters.probes,
        added: Object.fromEntries(rowsAdded(rowsBefore.snap, after)),
        counted: Number.isFinite(c.rowsWritten - rowsBefore.counters.rowsWritten)
          ? c.rowsWritten - rowsBefore.counters.rowsWritten
          : null,
        minuteRowBytes: after.minuteRowBytes,
        bytesPerStore: after.bytes / Math.max(1, after.files.size),
      };
    }
    if (options.afterLargest) await options.afterLargest(stack, specs.slice(0, largest));
    return result;
  } finally {
    await stack.close();
  }
}

async function pageWeight(stack: SimStack, clock: RoundClock, specs: readonly StoreSpec[]) {
  const { gzipSync } = await import('node:zlib');
  const ids = specs.map((s) => s.id);
  const deadline = Date.now() + 60_000;
  // Past the start-up rounds: every store healthy, its status and first history with the Fleet.
  while (clock.rounds(ids).some((n) => n < 4) && Date.now() < deadline) await sleep(250);
  await sleep(1000);
  const html = Buffer.from(await (await fetch(`${stack.base}/status`)).arrayBuffer());
  return { raw: html.length, gzip: gzipSync(html).length };
}
