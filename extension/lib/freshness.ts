/** Whether the fleet in storage still describes the server, and how to say where it comes from. */
import type { Connection, Fleet } from './storage-items.ts';
import { ENGLISH, type Words } from './ui-catalog.ts';

export const POLL_INTERVAL_MS = 60_000;
/** No update for two poll intervals: the data is stale. */
export const STALE_AFTER_MS = 2 * POLL_INTERVAL_MS;

/** An open stream means fresh; otherwise only a recent answer from the server does. */
export function isFresh(connection: Connection, fleet: Fleet, serverUrl: string, now: number): boolean {
  if (fleet.server !== serverUrl || fleet.receivedAt === null) return false;
  if (connection.state === 'connected') return true;
  if (connection.state === 'connecting') return now - fleet.receivedAt <= STALE_AFTER_MS;
  return false;
}

export function connectionLabel(
  connection: Connection,
  fleet: Fleet,
  serverUrl: string,
  now: number,
  w: Words = ENGLISH,
): string {
  switch (connection.state) {
    case 'connected':
      return w('conn.connected');
    case 'connecting':
      return fleet.source === 'poll' && isFresh(connection, fleet, serverUrl, now)
        ? w('conn.polling')
        : w('conn.connecting');
    case 'offline':
      return w('conn.offline');
    case 'unauthorized':
      return w('conn.unauthorized');
    case 'unconfigured':
      return w('conn.unconfigured');
  }
}
