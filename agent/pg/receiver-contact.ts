/**
 * A standby's `replication.primaryContactAgeSeconds` (the report extension `#shared/lease/
 * standby-contact.ts` specifies): how long ago, on this agent's monotonic clock, its WAL receiver
 * last could have sent anything to the primary; 0 while a receiver is running. The monitor's promote
 * gate relies on it never understating contact, so every doubt counts as contact:
 * - a connected receiver (`pg_stat_wal_receiver.status` streaming, waiting, restarting or stopping)
 *   is contact now. One still `starting` has not reached the primary: while the primary is down the
 *   startup process restarts a receiver every `wal_retrieve_retry_interval`, and counting those
 *   would report contact forever and block every failover;
 * - a database that does not answer might have been connected: contact now;
 * - a receiver found gone was alive at some moment up to this sample: contact now, the first time;
 * - while it stays gone, a receive position that moved means a receiver connected and left between
 *   two samples: contact now.
 * Only a receiver gone at two samples in a row with the same receive position leaves the contact
 * where it was. A flap between two samples that receives no WAL at all (an idle primary) is not
 * seen; samples every second keep that window to one poll interval.
 */

export type ReceiverSample =
  | { kind: 'running' }
  | { kind: 'gone'; receiveLsn: string | null }
  /** The database did not answer. */
  | { kind: 'unknown' };

const CONNECTED = new Set(['streaming', 'waiting', 'restarting', 'stopping']);

/** The sample of one status read: `status` and `receiveLsn` from `pg_stat_wal_receiver` and `pg_last_wal_receive_lsn()`. */
export function receiverSample(status: string | null, receiveLsn: string | null): ReceiverSample {
  return status !== null && CONNECTED.has(status) ? { kind: 'running' } : { kind: 'gone', receiveLsn };
}

export interface ReceiverContact {
  /** Monotonic ms of the latest possible contact. */
  contactAt: number;
  last: ReceiverSample | null;
}

/** Before the first sample: counted from the agent's start. */
export function initialContact(startedAt: number): ReceiverContact {
  return { contactAt: startedAt, last: null };
}

export function nextContact(prev: ReceiverContact, sample: ReceiverSample, at: number): ReceiverContact {
  const last = prev.last;
  const unchangedGone =
    sample.kind === 'gone' && last !== null && last.kind === 'gone' && last.receiveLsn === sample.receiveLsn;
  return { contactAt: unchangedGone ? prev.contactAt : Math.max(prev.contactAt, at), last: sample };
}

/** Seconds since the latest possible contact, rounded down (contact overstated, never under). */
export function contactAgeSeconds(contact: ReceiverContact, now: number): number {
  if (contact.last?.kind === 'running') return 0;
  return Math.max(0, Math.floor((now - contact.contactAt) / 100) / 10);
}
