/** The `Backend` of one simulated node: the agent code path is the real one, the database is the model. */
import type { Backend } from '#agent/backend.ts';
import type { FleetSim } from './fleet-sim.ts';

export function simBackend(sim: FleetSim, storeId: string, nodeId: string): Backend {
  return {
    report: async () => sim.nodeReport(storeId, nodeId),
    promote: async (epoch) => sim.promote(storeId, nodeId, epoch),
    fence: async (epoch) => sim.fence(storeId, nodeId, epoch),
    reinstate: async (epoch, ctx) => sim.reinstate(storeId, nodeId, epoch, ctx.primary ?? ''),
  };
}
