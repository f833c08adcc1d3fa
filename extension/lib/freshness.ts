/** Whether the fleet in storage still describes the server, and how to say where it comes from. */
import type { Connection, Fleet } from './storage-items.ts';

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

export function connectionLabel(connection: Connection, fleet: Fleet, serverUrl: string, now: number): string {
  switch (connection.state) {
    case 'connected':
      return 'Live';
    case 'connecting':
      return fleet.source === 'poll' && isFresh(connection, fleet, serverUrl, now) ? 'Polling' : 'Connecting…';
    case 'offline':
      return 'Offline';
    case 'unauthorized':
      return 'Unauthorized';
    case 'unconfigured':
      return 'Not configured — open options';
  }
}
