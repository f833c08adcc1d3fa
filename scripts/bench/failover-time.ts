/**
 * Measures, end to end on loopback, the time from a primary's crash to the promote action reaching
 * the standby's agent: the simulated fleet in this process, the worker under `wrangler dev`.
 * Several stores are crashed at staggered moments, so the runs fall at different phases of the
 * probe interval.
 */
import { controlClient } from '../../agent/sim/control-client.ts';
import { fleetConfigFor } from '../../agent/sim/demo-fleet.ts';
import type { StoreSpec } from '../../agent/sim/model.ts';
import { simStore } from '../../test/support/sim-stack.ts';
import { putConfig } from '../demo/stack.ts';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function benchSpecs(prefix: string, count: number): StoreSpec[] {
  return Array.from({ length: count }, (_, i) =>
    simStore(`${prefix}-${i + 1}`, `Bench ${prefix} ${i + 1}`, 'Bench', 'auto'),
  );
}

async function waitAllHealthy(base: string, viewerToken: string, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${base}/api/v1/stores`, { headers: { authorization: `Bearer ${viewerToken}` } });
    const body = (await res.json()) as { stores: Array<{ id: string; status: string }> };
    const healthy = new Set(body.stores.filter((s) => s.status === 'healthy').map((s) => s.id));
    if (ids.every((id) => healthy.has(id))) return;
    await sleep(500);
  }
  throw new Error(`stores ${ids.join(', ')} were not all healthy within ${timeoutMs / 1000} s`);
}

export async function measureFailover(
  scenario: Scenario,
  ctx: { base: string; simUrl: string; controlToken: string; adminToken: string; viewerToken: string },
): Promise<Timing[]> {
  const control = controlClient(ctx.simUrl, ctx.controlToken);
  const config = fleetConfigFor(scenario.specs, ctx.simUrl);
  config.defaults = {
    intervalSeconds: scenario.intervalSeconds,
    timeoutMs: 1000,
    failover: { mode: 'auto', thresholdSeconds: scenario.thresholdSeconds },
  };
  await putConfig(ctx.base, ctx.adminToken, config);
  const ids = scenario.specs.map((s) => s.id);
  await waitAllHealthy(ctx.base, ctx.viewerToken, ids, 120_000);

  const crashedAt = new Map<string, number>();
  const stagger = (scenario.intervalSeconds * 1000) / ids.length;
  for (const id of ids) {
    crashedAt.set(id, Date.now());
    await control.inject(id, 'crash');
    await sleep(stagger);
  }
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
  return ids.map((store) => ({ store, crashToPromoteMs: timings.get(store) ?? Number.NaN }));
}
