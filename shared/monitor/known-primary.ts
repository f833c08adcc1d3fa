/**
 * What a round teaches the monitor to remember about its store across restarts: the primary last
 * seen serving (so a primary that stops answering is still known by name) and the store's epoch.
 */
import type { Classification } from '../classify.ts';
import type { FailoverMachineState } from '../failover/types.ts';

export interface Remembered {
  knownPrimary: string | null;
  /** Null until the monitor's first contact with the store. */
  epoch: number | null;
}

/**
 * The epoch is learnt at first contact (classify adopts the highest a node reports) and never taken
 * from a report after that: classify keeps it at the store's, so only a failover the monitor issued
 * (or an operator's adoption, applied elsewhere) moves it. No node reporting yet teaches nothing.
 */
export function remember(
  previous: Remembered,
  c: Pick<Classification, 'primary' | 'primaryServing' | 'epoch' | 'epochSeen'>,
): Remembered {
  return {
    knownPrimary: c.primaryServing ? c.primary : previous.knownPrimary,
    epoch: c.epochSeen ? Math.max(previous.epoch ?? 0, c.epoch) : previous.epoch,
  };
}

export function sameMemory(a: Remembered, b: Remembered): boolean {
  return a.knownPrimary === b.knownPrimary && a.epoch === b.epoch;
}

/**
 * The store's epoch as the monitor holds it: the higher of what it remembers and what its failover
 * machine issued; null before first contact (nothing remembered, nothing issued).
 */
export function storeEpoch(remembered: number | null, issued: number): number | null {
  return remembered === null && issued === 0 ? null : Math.max(remembered ?? 0, issued);
}

/** The epoch a failover is being carried out at (fencing or promoting), else null. */
export function epochInFlight(machine: FailoverMachineState): number | null {
  return machine.phase === 'fencing' || machine.phase === 'promoting' ? machine.current.epoch : null;
}
