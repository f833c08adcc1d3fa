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
  /** The simulator's control token (what `npm start` writes to .dev.sim.json). */
  controlToken: string;
  secrets: WorkerSecrets;
  /** The `wrangler dev` process (its workerd processes are its descendants). */
  workerPid: number | undefined;
  /** The worker's local state (Durable Object SQLite files under v3/do/). */
  stateDir: string;
  /** The simulated fleet serving now (a restart replaces it). */
  sim(): FleetSim;
  stopWorker(): void;
  /**
   * What a restarted `npm start` does: the worker and the simulator stop, then start again on the
   * same ports, the worker on its state, the simulator from its stores' baselines; the config is
   * pushed again.
   */
  restart(): Promise<void>;
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
  const serve = (fleet: FleetSim, port: number) =>
    startSimServer({
      sim: fleet,
      webhookSecret: secrets.WEBHOOK_SECRET,
      controlToken,
      host: '127.0.0.1',
      port,
      log: () => undefined,
    });
  let fleet = options.sim ?? new FleetSim(specs, { promoteDelayMs: 0, log: () => undefined });
  let sim = await serve(fleet, 0);
  const simPort = Number(new URL(sim.url).port);
  const state = mkdtempSync(join(process.env.MIRRORWATCH_STATE_DIR ?? tmpdir(), 'mirrorwatch-stack-'));
  const port = await freePort();
  const launch = async () => {
    const started = startWorker({ port, persistTo: state, secrets, log: () => undefined });
    await waitForWorker(started.base);
    return started;
  };
  let worker = await launch();
  const config = fleetConfigFor(specs, sim.url);
  config.defaults = defaults;
  const jobs = options.jobs ?? {};
  config.stores = config.stores.map((s) => (jobs[s.id] ? { ...s, jobs: jobs[s.id] } : s));
  await putConfig(worker.base, secrets.ADMIN_TOKEN, config);
  return {
    base: worker.base,
    simUrl: sim.url,
    control: controlClient(sim.url, controlToken),
    controlToken,
    secrets,
    get workerPid() {
      return worker.process.pid;
    },
    stateDir: state,
    sim: () => fleet,
    stopWorker: () => worker.stop(),
    restart: async () => {
      const { process: child } = worker;
      const exited = new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve(null);
        else child.once('exit', resolve);
      });
      worker.stop();
      await exited;
      await sim.close();
      fleet = new FleetSim(specs, { promoteDelayMs: 0, log: () => undefined, baselines: fleet.baselines() });
      sim = await serve(fleet, simPort);
      worker = await launch();
      await putConfig(worker.base, secrets.ADMIN_TOKEN, config);
    },
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
