/** What the simulator's route handlers share: the model, the action log, the secrets, the clock. */
import type { ActionLog } from './action-log.ts';
import type { FleetSim } from './fleet-sim.ts';

export interface SimContext {
  sim: FleetSim;
  actions: ActionLog;
  webhookSecret: string | readonly string[];
  controlToken: string;
  /** Wall clock for signature windows, separate from the model's clock so tests can move either. */
  wallNow: () => number;
  log: (line: string) => void;
}
