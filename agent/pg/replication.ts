/**
 * A standby's view of its stream, from one status row: where it streams from, under which name,
 * and whether that name is synchronous by the local `synchronous_standby_names` (the fallback when
 * the primary cannot be asked). Pure.
 */
import type { Address } from '../tcp-probe.ts';
import { conninfoAddress, parseConninfo, synchronousNames, walreceiverName } from './conninfo.ts';
import type { StatusRow } from './queries.ts';

export interface StreamSource {
  /** The primary's database address, from the live receiver or else `primary_conninfo`. */
  address: Address | null;
  /** The `application_name` the primary sees for this standby. */
  name: string;
}

export function streamSource(row: StatusRow): StreamSource {
  const configured = parseConninfo(row.primary_conninfo);
  const live = row.receiver_conninfo ? parseConninfo(row.receiver_conninfo) : configured;
  const address =
    row.sender_host && row.sender_port ? { host: row.sender_host, port: row.sender_port } : conninfoAddress(configured);
  return { address, name: walreceiverName(live, row.cluster_name) };
}

/** `pg_stat_wal_receiver.status` is `streaming` only while WAL flows; any other state, or no receiver, is a lost stream. */
export function isStreaming(row: StatusRow): boolean {
  return row.receiver_status === 'streaming';
}

/** Names `name` the local `synchronous_standby_names` (a copy of the primary's in a symmetric setup)? */
export function listedAsSynchronous(setting: string, name: string): boolean {
  const names = synchronousNames(setting);
  return names.includes('*') || names.includes(name.toLowerCase()) || names.includes(name);
}

export function roundLag(value: number | null, digits = 3): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** digits;
  return Math.max(0, Math.round(value * scale) / scale);
}
