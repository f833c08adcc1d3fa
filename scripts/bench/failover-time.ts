/**
 * Detection and failover, end to end on loopback: the simulated fleet in this process, the worker
 * under `wrangler dev`, and a client on the live stream (`/api/v1/stream`) as a browser would hold.
 *
 * - Fault to stream: a fault is injected through the simulator's control API and timed until the
 *   stream delivers the store's new status (standby lag of 45 s → degraded; standby crash →
 *   degraded; primary crash → the first status other than healthy).
 * - Crash to promote: from the primary's crash to the simulated standby's agent receiving the
 *   signed promote (the simulator's receive timestamp; one clock).
 *
 * Faults are injected one store after another, staggered across one probe interval, so the runs
 * fall at different phases of it.
 */

import { z } from 'zod';
import { simStore } from '#harness/sim-stack.ts';
import { StoreStatus } from '#shared/schemas/status.ts';
import { ServerMessage } from '#shared/schemas/stream.ts';
import type { ControlClient } from '#sim/control-client.ts';
import { fleetConfigFor } from '#sim/demo-fleet.ts';
import type { StoreSpec } from '#sim/model.ts';
import { putConfig } from '../demo/stack.ts';
import { sleep } from './stats.ts';

export interface Scenario {
  name: string;
  intervalSeconds: number;
  thresholdSeconds: number;
  specs: StoreSpec[];
}

export interface Timing {
  store: string;
  crashToPromoteMs: number;
}

export type FaultKind = 'standby lag 45 s' | 'standby crash' | 'primary crash';

export interface StreamTiming {
  kind: FaultKind;
  store: string;
  /** Fault injected to the stream delivering the new status. */
  ms: number;
  status: string;
}

export interface Detection {
  scenario: Scenario;
  faultToStream: StreamTiming[];
  crashToPromote: Timing[];
}

export interface BenchContext {
  base: string;
  simUrl: string;
  control: ControlClient;
  adminToken: string;
  viewerToken: string;
}

export function benchSpecs(prefix: string, count: number): StoreSpec[] {
  return Array.from({ length: count }, (_, i) =>
    simStore(`${prefix}-${i + 1}`, `Bench ${prefix} ${i + 1}`, 'Bench', 'auto'),
  );
}

interface Seen {
  at: number;
  id: string;
  status: string;
}

/** A stream client: every store status it is pushed, with the time it arrived. */
async function watchStream(base: string, viewerToken: string) {
  const seen: Seen[] = [];
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/stream`, [
    'mirrorwatch.v1',
    `mirrorwatch.bearer.${viewerToken}`,
  ]);
  let snapshot: Map<string, string> | null = null;
  ws.addEventListener('message', (e) => {
    const at = Date.now();
    const m = ServerMessage.parse(JSON.parse(String(e.data)));
    if (m.type === 'snapshot') snapshot = new Map(m.stores.map((s) => [s.id, s.status]));
    if (m.type === 'store') seen.push({ at, id: m.store.id, status: m.store.status });
  });
  const deadline = Date.now() + 15_000;
  while (!snapshot) {
    if (Date.now() > deadline) throw new Error('stream: no snapshot within 15 s');
    await sleep(20);
  }
  return {
    seen,
    /** The first status pushed for `id` at or after `from` that satisfies `match`. */
    first(id: string, from: number, match: (status: string) => boolean): Seen | undefined {
      return seen.find((s) => s.id === id && s.at >= from && match(s.status));
    },
    close: () => ws.close(),
  };
}

const StoreList = z.object({ stores: z.array(StoreStatus) });

type Stream = Awaited<ReturnType<typeof watchStream>>;

async function waitAllHealthy(base: string, viewerToken: string, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/v1/stores`, { headers: { authorization: `Bearer ${viewerToken}` } });
    const body = StoreList.parse(await res.json());
    const healthy = new Set(body.stores.filter((s) => s.status === 'healthy').map((s) => s.id));
    if (ids.every((id) => healthy.has(id))) return;
    await sleep(250);
  }
  throw new Error(`stores ${ids.join(', ')} were not all healthy within ${timeoutMs / 1000} s`);
}

/** Injects `inject(id)` into each store, staggered across one interval; returns when each was injected. */
async function staggered(ids: string[], intervalSeconds: number, inject: (id: string) => Promise<unknown>) {
  const at = new Map<string, number>();
  const stagger = (intervalSeconds * 1000) / ids.length;
  for (const id of ids) {
    at.set(id, Date.now());
    await inject(id);
    await sleep(stagger);
  }
  return at;
}

async function untilPushed(
  stream: Stream,
  injected: Map<string, number>,
  match: (status: string) => boolean,
  timeoutMs: number,
  what: string,
): Promise<Map<string, Seen>> {
  const deadline = Date.now() + timeoutMs;
  const found = new Map<string, Seen>();
  while (found.size < injected.size) {
    for (const [id, at] of injected) {
      const s = found.has(id) ? undefined : stream.first(id, at, match);
      if (s) found.set(id, s);
    }
    if (found.size === injected.size) break;
    if (Date.now() > deadline) {
      const missing = [...injected.keys()].filter((id) => !found.has(id));
      throw new Error(`${what}: the stream never pushed it for ${missing.join(', ')}`);
    }
    await sleep(20);
  }
  return found;
}

export async function measureDetection(
  scenario: Scenario,
  ctx: BenchContext,
  options: { standbyCrash: boolean; log: (line: string) => void },
): Promise<Detection> {
  const { control } = ctx;
  const config = fleetConfigFor(scenario.specs, ctx.simUrl);
  config.defaults = {
    intervalSeconds: scenario.intervalSeconds,
    timeoutMs: 1000,
    failover: { mode: 'auto', thresholdSeconds: scenario.thresholdSeconds },
  };
  await putConfig(ctx.base, ctx.adminToken, config);
  const ids = scenario.specs.map((s) => s.id);
  await waitAllHealthy(ctx.base, ctx.viewerToken, ids, 120_000);
  const stream = await watchStream(ctx.base, ctx.viewerToken);
  const faultToStream: StreamTiming[] = [];
  try {
    const degrade: Array<{ kind: FaultKind; inject: (id: string) => Promise<unknown> }> = [
      { kind: 'standby lag 45 s', inject: (id) => control.inject(id, 'lag', { seconds: 45 }) },
    ];
    if (options.standbyCrash)
      degrade.push({ kind: 'standby crash', inject: (id) => control.inject(id, 'crash', { node: `${id}-b` }) });
    for (const { kind, inject } of degrade) {
      const injected = await staggered(ids, scenario.intervalSeconds, inject);
      const pushed = await untilPushed(stream, injected, (s) => s === 'degraded', 60_000, `${scenario.name}, ${kind}`);
      for (const [store, s] of pushed) {
        faultToStream.push({ kind, store, ms: s.at - (injected.get(store) ?? s.at), status: s.status });
      }
      options.log(`${scenario.name}: ${kind} → degraded pushed for ${pushed.size} stores`);
      const resetAt = Date.now();
      for (const id of ids) await control.inject(id, 'reset');
      await untilPushed(
        stream,
        new Map(ids.map((id) => [id, resetAt])),
        (s) => s === 'healthy',
        60_000,
        `${scenario.name}, back to healthy after ${kind}`,
      );
    }

    await control.clearActions();
    const crashedAt = await staggered(ids, scenario.intervalSeconds, (id) => control.inject(id, 'crash'));
    const deadline = Date.now() + (scenario.thresholdSeconds + 30) * 1000;
    const timings = new Map<string, number>();
    while (timings.size < ids.length && Date.now() < deadline) {
      for (const action of await control.actions({ action: 'promote' })) {
        const at = crashedAt.get(action.store);
        if (at !== undefined && !timings.has(action.store)) timings.set(action.store, Date.parse(action.at) - at);
      }
      await sleep(100);
    }
    const missing = ids.filter((id) => !timings.has(id));
    if (missing.length > 0) throw new Error(`${scenario.name}: no promote reached ${missing.join(', ')}`);
    const down = await untilPushed(stream, crashedAt, (s) => s !== 'healthy', 5000, `${scenario.name}, primary crash`);
    for (const [store, s] of down) {
      faultToStream.push({ kind: 'primary crash', store, ms: s.at - (crashedAt.get(store) ?? s.at), status: s.status });
    }
    return {
      scenario,
      faultToStream,
      crashToPromote: ids.map((store) => ({ store, crashToPromoteMs: timings.get(store) ?? Number.NaN })),
    };
  } finally {
    stream.close();
  }
}
