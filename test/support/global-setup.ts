/**
 * Starts, once for the Workers tests, the stand-in agents and a simulated fleet whose agents verify
 * signed actions and obey promote and fence like a real pair; hands their addresses over.
 */
import type { TestProject } from 'vitest/node';
import { simStore } from '#harness/sim-stack.ts';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { FleetSim } from '#sim/fleet-sim.ts';
import type { StoreSpec } from '#sim/model.ts';
import { startSimServer } from '#sim/server.ts';
import { startStandIns } from './stand-in-agents.ts';

/** Stores the failover tests may use, one per test: `fo-01` … `fo-28` (grep 'fo-' before taking one). */
export const SIM_STORE_COUNT = 28;
const CONTROL_TOKEN = 'sim-control-token-for-tests';

function simSpecs(): StoreSpec[] {
  return Array.from({ length: SIM_STORE_COUNT }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return simStore(`fo-${n}`, `Failover store ${i + 1}`, 'South China', 'auto');
  });
}

export default async function setup(project: TestProject) {
  const standIns = await startStandIns();
  const sim = new FleetSim(simSpecs(), { promoteDelayMs: 0, wanCutMode: 'reset', log: () => undefined });
  const simServer = await startSimServer({
    sim,
    webhookSecret: TEST_SECRETS.WEBHOOK_SECRET,
    controlToken: CONTROL_TOKEN,
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
  });
  project.provide('standIns', {
    baseUrl: standIns.baseUrl,
    refusedUrl: standIns.refusedUrl,
    tcpOpen: standIns.tcpOpen,
    tcpRefused: standIns.tcpRefused,
  });
  project.provide('sim', { url: simServer.url, controlToken: CONTROL_TOKEN });
  return async () => {
    await simServer.close();
    await standIns.close();
  };
}
