/**
 * When a StoreMonitor runs its next probe round, and what a round's outcome counts for: the pure
 * rules the object applies (DESIGN.md "Cadence and storage").
 */
import type { Classification } from '../classify.ts';
import type { FailoverPhase } from '../failover/types.ts';
import type { StoreStatusName } from '../schemas/status.ts';

/** While anything is failing (or a failover is in flight), rounds run every second. */
export const FAST_ROUND_MS = 1000;

export interface CadenceInput {
  /** When the round that just ended started. */
  started: number;
  intervalSeconds: number;
  classification: Pick<Classification, 'unconfirmedFailures' | 'status'>;
  phase: FailoverPhase;
}

export function isFast(input: Omit<CadenceInput, 'started' | 'intervalSeconds'>): boolean {
  const c = input.classification;
  return (
    c.unconfirmedFailures || c.status === 'primary_down' || input.phase === 'fencing' || input.phase === 'promoting'
  );
}

/** The next round's time: a second after this one started while something fails, an interval otherwise. */
export function nextRoundAt(input: CadenceInput): number {
  return input.started + (isFast(input) ? FAST_ROUND_MS : input.intervalSeconds * 1000);
}

/**
 * When the alarm is due: the next scheduled round, unless a round was asked for sooner (a config
 * change, a maintenance window) since the last round started; then the machine's and the alerts'
 * deadlines.
 */
export function dueAt(rounds: { scheduled: number; requested: number | null }, ...deadlines: Array<number | null>) {
  return Math.min(
    rounds.requested ?? Number.POSITIVE_INFINITY,
    rounds.scheduled,
    ...deadlines.map((d) => d ?? Number.POSITIVE_INFINITY),
  );
}

/** A decision just moved the failover machine: watch it through at the fast cadence. */
export function afterFailoverStep(scheduled: number, phase: FailoverPhase, now: number): number {
  return phase === 'idle' ? scheduled : Math.min(scheduled, now + FAST_ROUND_MS);
}

/**
 * Whether a round counts toward uptime: time in the startup grace (`unknown`) is unmonitored and
 * planned maintenance does not count against availability, so neither enters the rollups.
 */
export function countsTowardUptime(status: StoreStatusName | Classification['status'], maintenance: boolean): boolean {
  return status !== 'unknown' && !maintenance;
}
