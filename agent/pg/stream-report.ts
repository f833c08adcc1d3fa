/**
 * What a PostgreSQL standby reports about its stream (`replication` of contract section 3, plus
 * `primaryContactAgeSeconds`): state and lag from a status row, `primaryReachable` from a TCP probe
 * of the primary when the stream is down, `synchronous` from the primary (./sync-state.ts), and the
 * contact age (./receiver-contact.ts), which every status read, report or poll, keeps up to date.
 */
import type { AgentReport } from '#shared/schemas/report.ts';
import { type Address, tcpProbe } from '../tcp-probe.ts';
import type { DbTarget } from './client.ts';
import type { StatusRow } from './queries.ts';
import {
  contactAgeSeconds,
  initialContact,
  nextContact,
  type ReceiverContact,
  type ReceiverSample,
  receiverSample,
} from './receiver-contact.ts';
import { isStreaming, roundLag, streamSource } from './replication.ts';
import { SyncStateReader } from './sync-state.ts';

type Replication = NonNullable<AgentReport['replication']>;

export interface StreamReporterOptions {
  db: DbTarget;
  timeoutMs: number;
  syncCheckTtlMs: number;
  now: () => number;
  monoNow: () => number;
  log: (line: string) => void;
}

export class StreamReporter {
  readonly #o: StreamReporterOptions;
  readonly #sync: SyncStateReader;
  #lastPrimary: Address | null = null;
  #contact: ReceiverContact;

  constructor(options: StreamReporterOptions) {
    this.#o = options;
    this.#contact = initialContact(options.monoNow());
    this.#sync = new SyncStateReader({
      db: options.db,
      timeoutMs: options.timeoutMs,
      ttlMs: options.syncCheckTtlMs,
      now: options.now,
      log: options.log,
    });
  }

  /** Folds a status read (null: the database did not answer) into the contact tracking. */
  note(status: StatusRow | null, at = this.#o.monoNow()): void {
    const sample: ReceiverSample =
      status === null ? { kind: 'unknown' } : receiverSample(status.receiver_status, status.receive_lsn);
    this.#contact = nextContact(this.#contact, sample, at);
  }

  /** The `replication` of a standby whose database answered with `status`. */
  async report(status: StatusRow): Promise<Replication> {
    const source = streamSource(status);
    if (source.address) this.#lastPrimary = source.address;
    const lagSeconds = roundLag(status.lag_seconds);
    const lagBytes = status.lag_bytes === null ? {} : { lagBytes: Math.max(0, Math.round(status.lag_bytes)) };
    if (!isStreaming(status)) {
      const primaryReachable = await this.#primaryAnswers(source.address);
      return { state: 'disconnected', primaryReachable, lagSeconds, ...lagBytes, ...this.#age() };
    }
    const synchronous = await this.#sync.read(source.address, source.name, status.synchronous_standby_names);
    return { state: 'streaming', primaryReachable: true, lagSeconds, ...lagBytes, synchronous, ...this.#age() };
  }

  /** The `replication` of a standby whose own database does not answer. */
  async reportDown(): Promise<Replication> {
    const primaryReachable = await this.#primaryAnswers(this.#lastPrimary);
    return { state: 'stopped', primaryReachable, lagSeconds: null, ...this.#age() };
  }

  #age(): { primaryContactAgeSeconds: number } {
    return { primaryContactAgeSeconds: contactAgeSeconds(this.#contact, this.#o.monoNow()) };
  }

  async #primaryAnswers(address: Address | null): Promise<boolean> {
    if (!address) return false;
    return (await tcpProbe(address, Math.min(this.#o.timeoutMs, 1000))).ok;
  }
}
