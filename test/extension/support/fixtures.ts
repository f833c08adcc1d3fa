/** Stores, fleets and settings for the extension's tests, each built from a valid default. */
import type { Connection, Fleet, Settings } from '#extension/lib/storage-items.ts';
import type { Failover, StoreStatus } from '#extension/lib/wire.ts';

export const SERVER = 'https://mw.example.com';
export const TOKEN = 'op-token_123';
export const T0 = Date.parse('2026-03-01T12:00:00Z');

export function store(id: string, overrides: Partial<StoreStatus> = {}): StoreStatus {
  return {
    id,
    name: `Store ${id}`,
    region: 'South China',
    status: 'healthy',
    since: '2026-03-01T11:00:00Z',
    primary: `${id}-a`,
    epoch: 1,
    lagSeconds: 0.4,
    nodes: [
      {
        id: `${id}-a`,
        role: 'primary',
        reachable: true,
        healthy: true,
        latencyMs: 12,
        lastSeenAt: '2026-03-01T11:59:58Z',
      },
      {
        id: `${id}-b`,
        role: 'standby',
        reachable: true,
        healthy: true,
        latencyMs: 14,
        lastSeenAt: '2026-03-01T11:59:58Z',
        lagSeconds: 0.4,
      },
    ],
    arbiter: { reachable: true },
    reasons: [],
    lastFailover: null,
    checkedAt: '2026-03-01T11:59:58Z',
    ...overrides,
  };
}

export function failover(overrides: Partial<Failover> = {}): Failover {
  return {
    id: 'fo-1',
    epoch: 2,
    from: 'x-a',
    to: 'x-b',
    mode: 'auto',
    requestedBy: 'auto',
    reason: 'primary lost',
    state: 'promoting',
    detectedAt: '2026-03-01T11:59:00Z',
    decidedAt: '2026-03-01T11:59:30Z',
    completedAt: null,
    lagSecondsAtDecision: 0.4,
    dataLossAllowed: false,
    ...overrides,
  };
}

export function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    serverUrl: SERVER,
    token: TOKEN,
    watch: { stores: [], regions: [] },
    notify: { red: true, awaiting: true, failover: true },
    ...overrides,
  };
}

export function fleet(stores: StoreStatus[], overrides: Partial<Fleet> = {}): Fleet {
  return { server: SERVER, stores, receivedAt: T0, source: 'stream', etag: null, ...overrides };
}

export function connection(state: Connection['state'], overrides: Partial<Connection> = {}): Connection {
  return { state, since: T0, lastError: null, ...overrides };
}
