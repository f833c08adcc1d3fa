/**
 * The simulated fleet and the worker under `wrangler dev`, with throwaway secrets and state, for
 * browser tests and benchmarks: the real worker, real HTTP, simulated stores.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { putConfig, startWorker, throwawaySecrets, type WorkerSecrets, waitForWorker } from '#scripts/demo/stack.ts';
import type { Job } from '#shared/schemas/schedules.ts';
import { type ControlClient, controlClient } from '#sim/control-client.ts';
import { fleetConfigFor } from '#sim/demo-fleet.ts';
import { FleetSim } from '#sim/fleet-sim.ts';
import type { StoreSpec } from '#sim/model.ts';
import { startSimServer } from '#sim/server.ts';
import { freePort } from './pg-cluster.ts';

export interface SimStack {
  base: string;
  simUrl: string;
  control: ControlClient;
  secrets: WorkerSecrets;
  /** The `wrangler dev` process (its workerd processes are its descendants). */
  workerPid: number | undefined;
  /** The worker's local state (Durable Object SQLite files under v3/do/). */
  stateDir: string;
  stopWorker(): void;
  close(): Promise<void>;
}

/**
 * `sim` replaces the simulated fleet built from `specs` (which then only make the config); `jobs`
 * adds scheduled jobs to the stores it names.
 */
export async function startSimStack(
  specs: StoreSpec[],
  defaults: Record<string, unknown>,
  options: { sim?: FleetSim; jobs?: Record<string, Job[]> } = {},
): Promise<SimStack> {
  const secrets = throwawaySecrets();
  const controlToken = randomBytes(18).toString('base64url');
  const sim = await startSimServer({
    sim: options.sim ?? new FleetSim(specs, { promoteDelayMs: 0, log: () => undefined }),
    webhookSecret: secrets.WEBHOOK_SECRET,
    controlToken,
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
  });
  const state = mkdtempSync(join(process.env.MIRRORWATCH_STATE_DIR ?? tmpdir(), 'mirrorwatch-stack-'));
  const worker = startWorker({ port: await freePort(), persistTo: state, secrets, log: () => undefined });
  await waitForWorker(worker.base);
  const config = fleetConfigFor(specs, sim.url);
  config.defaults = defaults;
  const jobs = options.jobs ?? {};
  config.stores = config.stores.map((s) => (jobs[s.id] ? { ...s, jobs: jobs[s.id] } : s));
  await putConfig(worker.base, secrets.ADMIN_TOKEN, config);
  return {
    base: worker.base,
    simUrl: sim.url,
    control: controlClient(sim.url, controlToken),
    secrets,
    workerPid: worker.process.pid,
    stateDir: state,
    stopWorker: () => worker.stop(),
    close: async () => {
      worker.stop();
      await sim.close();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** A simulated store: two nodes and an arbiter, epoch 1. */
export function simStore(id: string, name: string, region: string, mode: 'auto' | 'manual'): StoreSpec {
  return {
    id,
    name,
    region,
    timezone: 'Asia/Shanghai',
    mode,
    epoch: 1,
    nodes: [
      { id: `${id}-a`, priority: 100, baseLagSeconds: 0.2 },
      { id: `${id}-b`, priority: 50, baseLagSeconds: 0.3 },
    ],
    arbiter: true,
    walBytesPerSecond: 64 * 1024,
    seed: 1,
  };
}
