/**
 * Whether this standby is synchronous, as its primary's `pg_stat_replication.sync_state` says
 * (asked at most once per TTL, since it means a connection to the primary), or, where the primary
 * cannot be asked, as the local `synchronous_standby_names` says. Logs where the answer came from
 * whenever that changes, so an operator can tell a live reading from the fallback.
 */
import type { Address } from '../tcp-probe.ts';
import { formatAddress } from '../tcp-probe.ts';
import { type DbTarget, dbErrorText, withClient } from './client.ts';
import { readSyncStates } from './queries.ts';
import { listedAsSynchronous } from './replication.ts';

export interface SyncStateOptions {
  db: DbTarget;
  timeoutMs: number;
  ttlMs: number;
  now: () => number;
  log: (line: string) => void;
}

export class SyncStateReader {
  readonly #o: SyncStateOptions;
  #cached: { key: string; at: number; value: boolean | null } | null = null;
  #source: string | null = null;

  constructor(options: SyncStateOptions) {
    this.#o = options;
  }

  async read(address: Address | null, name: string, localSetting: string): Promise<boolean> {
    const now = this.#o.now();
    const key = `${address ? formatAddress(address) : '?'}/${name}`;
    let value: boolean | null;
    if (this.#cached && this.#cached.key === key && now - this.#cached.at < this.#o.ttlMs) {
      value = this.#cached.value;
    } else {
      value = null;
      let source = `local synchronous_standby_names (no primary address for ${name})`;
      if (address) {
        try {
          const states = await withClient({ ...this.#o.db, ...address }, this.#o.timeoutMs, (c) =>
            readSyncStates(c, name),
          );
          value = states.some((s) => s === 'sync' || s === 'quorum');
          source = `pg_stat_replication on the primary ${formatAddress(address)}`;
        } catch (error) {
          source = `local synchronous_standby_names (the primary ${formatAddress(address)} cannot be asked: ${dbErrorText(error)})`;
        }
      }
      if (source !== this.#source) {
        this.#source = source;
        this.#o.log(`synchronous state of ${name} read from ${source}`);
      }
      this.#cached = { key, at: now, value };
    }
    return value ?? listedAsSynchronous(localSetting, name);
  }
}
