/**
 * Which node the monitor holds as a store's serving primary for leases (contract section 6), from
 * the last round: the classification's serving primary, and only if that node answered this very
 * round, healthy, as primary at the store's epoch and not fenced. A failed probe is only retried by
 * the classification (the last answer stands until the failure is confirmed), but a lease needs a
 * fresh answer: after one failed probe no lease is sent until the primary answers again.
 *
 * A primary that fenced itself (`fenced` and `selfFenced`, at the store's epoch) is held too, though
 * it does not serve: the classification keeps it as the store's primary while no other node claims
 * the epoch, and only a lease lifts its fence. A fence the monitor sent is never lifted by a lease,
 * so a node fenced that way is not held.
 */
import type { Classification } from '../classify.ts';
import type { AgentReport } from '../schemas/report.ts';

export interface HeldPrimary {
  node: string;
  epoch: number;
}

export interface HeldPrimaryInput {
  classification: Pick<Classification, 'primary' | 'primaryServing' | 'epoch'>;
  /** This round's answer of the classification's primary: its report, or null when the probe failed. */
  report: AgentReport | null;
}

export function heldServingPrimary(input: HeldPrimaryInput): HeldPrimary | null {
  const { classification: c, report } = input;
  if (c.primary === null || report === null || report.node !== c.primary || report.epoch !== c.epoch) return null;
  if (report.fenced === true) {
    const selfFenced = report.selfFenced === true && report.role !== 'standby' && report.role !== 'arbiter';
    return selfFenced ? { node: c.primary, epoch: c.epoch } : null;
  }
  if (!c.primaryServing || report.role !== 'primary' || !report.healthy) return null;
  return { node: c.primary, epoch: c.epoch };
}

/**
 * Whether a report the held primary pushed still speaks as that primary (at its epoch, serving or
 * fenced by itself): only then does its push answer carry the lease.
 */
export function pushFitsHeld(report: AgentReport, held: HeldPrimary | null): boolean {
  if (held === null || report.node !== held.node || report.epoch !== held.epoch) return false;
  if (report.fenced === true)
    return report.selfFenced === true && report.role !== 'standby' && report.role !== 'arbiter';
  return report.role === 'primary' && report.healthy;
}
