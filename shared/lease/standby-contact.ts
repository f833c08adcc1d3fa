/**
 * What the monitor knows about one standby's contact with the old primary, folded probe by probe.
 * The promote gate (`promote-gate.ts`) needs it because a primary stays writable while a standby
 * streams from it, even when the edge lost the primary long ago (a WAN cut).
 *
 * Contract extension relied on (optional report field, section 3 allows new ones):
 * `replication.primaryContactAgeSeconds`: how long ago, on the standby's monotonic clock and measured
 * when the agent answers, its WAL receiver last could have sent anything to the primary; 0 while it
 * is connected. It must only ever overstate contact: the agent counts from its own start when it does
 * not know better, and a receiver that is alive counts as in contact even when no WAL arrives.
 * `replication.state` and `primaryReachable` alone cannot bound this path: between two probes a
 * stream can break, reconnect (renewing the primary for L) and break again, and the next report
 * reads "disconnected" exactly as before.
 *
 * Each evidence bounds two moments, both on the monitor's clock:
 * - `contactEnd`: no later than the standby's last contact. From a report received at r with age a:
 *   r - a / DRIFT_STRETCH (a seconds of the standby's clock are at least a / RATE_MAX real seconds; a
 *   monitor interval of a / DRIFT_STRETCH at most that many). While connected: r.
 * - `silentUntil`: the standby is known to have had no contact from `contactEnd` to this moment: the
 *   time the probe was *sent* (the report was made after the request arrived, so after it left). A
 *   pushed report has no request: `pushSentAt` bounds its making by its receipt minus the timeout.
 * A report without the field (an older agent) falls back to the first "disconnected" report of an
 * unbroken run as `contactEnd`: the weaker bound the field exists to replace, since it can be fooled
 * by a flap between two probes. A failed probe of the standby ends such a run.
 */
import { DRIFT_STRETCH, RATE_MAX } from './drift.ts';

export interface StandbyEvidence {
  contactEnd: number;
  silentUntil: number;
  /** Fallback only: receipt of the first "disconnected" report of the current run without an age. */
  lostRunSince: number | null;
}

/** The part of a standby's report this reads (contract section 3 plus the optional extension). */
export interface ReplicationView {
  state: 'streaming' | 'catchup' | 'stopped' | 'disconnected';
  primaryReachable: boolean;
  primaryContactAgeSeconds?: number | undefined;
}

export interface StandbyProbe {
  /** Monitor ms when the probe left (or `pushSentAt(...)` for a push). */
  sentAt: number;
  /** Monitor ms when the answer arrived, or when the probe failed. */
  receivedAt: number;
  /**
   * The report's `replication`, `undefined` when the node answered without one (it then vouches for
   * nothing, as if connected), or null when the probe failed.
   */
  replication: ReplicationView | undefined | null;
}

/** A lower bound, on the monitor's clock, of when a report pushed by an agent was made. */
export function pushSentAt(receivedAt: number, timeoutMs: number): number {
  return receivedAt - Math.ceil(RATE_MAX * timeoutMs);
}

/** A connected receiver (streaming or catching up) sends replies; a stopped or disconnected one does not. */
export function inContact(r: ReplicationView): boolean {
  return r.state === 'streaming' || r.state === 'catchup';
}

export function nextStandbyEvidence(prev: StandbyEvidence | null, probe: StandbyProbe): StandbyEvidence | null {
  const { replication, sentAt, receivedAt } = probe;
  if (replication === null) return prev === null ? null : { ...prev, lostRunSince: null };
  if (replication === undefined || inContact(replication)) {
    return { contactEnd: receivedAt, silentUntil: sentAt, lostRunSince: null };
  }
  const age = replication.primaryContactAgeSeconds;
  if (age !== undefined) {
    return {
      contactEnd: Math.ceil(receivedAt - (age * 1000) / DRIFT_STRETCH),
      silentUntil: sentAt,
      lostRunSince: null,
    };
  }
  const since = prev?.lostRunSince ?? receivedAt;
  return { contactEnd: since, silentUntil: sentAt, lostRunSince: since };
}
