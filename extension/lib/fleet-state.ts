/** Pure: how a stream message or a poll answer changes the last known fleet. */
import type { Fleet } from './storage-items.ts';
import type { ServerMessage, StoreStatus } from './wire.ts';

/** A fleet of another server (the URL changed) is no base for anything. */
function storesOf(fleet: Fleet, server: string): StoreStatus[] {
  return fleet.server === server ? fleet.stores : [];
}

export function applyServerMessage(fleet: Fleet, message: ServerMessage, server: string, now: number): Fleet {
  const fresh = { server, receivedAt: now, source: 'stream' as const, etag: null };
  switch (message.type) {
    case 'snapshot':
      return { ...fresh, stores: message.stores };
    case 'store': {
      const stores = storesOf(fleet, server);
      const known = stores.some((s) => s.id === message.store.id);
      return {
        ...fresh,
        stores: known ? stores.map((s) => (s.id === message.store.id ? message.store : s)) : [...stores, message.store],
      };
    }
    case 'removed':
      return { ...fresh, stores: storesOf(fleet, server).filter((s) => s.id !== message.id) };
    case 'error':
      return fleet;
  }
}

/**
 * A poll answer describes the server as it was when the request left; a stream message received
 * since then is newer, and wins.
 */
export function applyPoll(
  fleet: Fleet,
  poll: { stores: StoreStatus[]; etag: string | null; requestedAt: number },
  server: string,
  now: number,
): Fleet {
  const streamIsNewer =
    fleet.server === server && fleet.source === 'stream' && (fleet.receivedAt ?? 0) >= poll.requestedAt;
  if (streamIsNewer) return fleet;
  return { server, stores: poll.stores, receivedAt: now, source: 'poll', etag: poll.etag };
}

/** 304: the server still has exactly what the last poll brought; only the time moves. */
export function applyNotModified(fleet: Fleet, server: string, now: number): Fleet {
  if (fleet.server !== server) return fleet;
  return { ...fleet, receivedAt: now, source: fleet.source === 'stream' ? 'stream' : 'poll' };
}
