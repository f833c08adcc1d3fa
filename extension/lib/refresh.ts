/** One REST round: `GET /api/v1/stores` with the last ETag, its answer written into the fleet. */
import { defaultFetch, type FetchFn, fetchStores } from './api-client.ts';
import { applyNotModified, applyPoll } from './fleet-state.ts';
import { updateFleet } from './state-writer.ts';
import type { ConnectionState } from './storage-items.ts';
import { isConfigured, readFleet, readSettings } from './storage-items.ts';

export type RefreshOutcome =
  | { kind: 'fresh' | 'unchanged' }
  | { kind: 'unauthorized' | 'unreachable' | 'unconfigured'; message: string };

export interface RefreshDeps {
  fetch?: FetchFn;
  now?: () => number;
}

export async function refreshFleet({
  fetch = defaultFetch,
  now = Date.now,
}: RefreshDeps = {}): Promise<RefreshOutcome> {
  const settings = await readSettings();
  if (!isConfigured(settings)) return { kind: 'unconfigured', message: 'No server URL or token yet: open the options' };
  const server = settings.serverUrl;
  const fleet = await readFleet();
  // An ETag only means something for the very data it came with: a stream delta since then clears it.
  const etag = fleet.server === server ? fleet.etag : null;
  const requestedAt = now();
  const result = await fetchStores({ origin: server, token: settings.token }, etag, fetch);
  switch (result.kind) {
    case 'ok':
      await updateFleet((f) => applyPoll(f, { stores: result.stores, etag: result.etag, requestedAt }, server, now()));
      return { kind: 'fresh' };
    case 'not_modified':
      await updateFleet((f) => applyNotModified(f, server, now()));
      return { kind: 'unchanged' };
    case 'unauthorized':
      return { kind: 'unauthorized', message: result.message };
    case 'failed':
      return { kind: 'unreachable', message: result.message };
  }
}

/** What a REST round says about the connection, when the stream itself is not open. */
export function stateForOutcome(outcome: RefreshOutcome): { state: ConnectionState; error: string | null } {
  switch (outcome.kind) {
    case 'fresh':
    case 'unchanged':
      return { state: 'connecting', error: null };
    case 'unauthorized':
      return { state: 'unauthorized', error: outcome.message };
    case 'unreachable':
      return { state: 'offline', error: outcome.message };
    case 'unconfigured':
      return { state: 'unconfigured', error: null };
  }
}
