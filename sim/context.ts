/** What the simulator's route handlers share: the model, the action log, the keys, the clock. */
import type { ActionLog } from './action-log.ts';
import type { FleetSim } from './fleet-sim.ts';
import type { NodeKeys } from './node-keys.ts';

export interface SimContext {
  sim: FleetSim;
  actions: ActionLog;
  /** Each node's own action keys, derived from the master the simulator is given. */
  nodeKeys: NodeKeys;
  controlToken: string;
  /** Wall clock for signature windows, separate from the model's clock so tests can move either. */
  wallNow: () => number;
  log: (line: string) => void;
}
