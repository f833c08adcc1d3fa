import { describe, expect, it } from 'vitest';
import { REDUNDANCY_NOTE_MS, redundancyRestoredAt } from '#shared/fleet/redundancy.ts';
import type { Failover, StoreStatus } from '#shared/schemas/status.ts';

const T = Date.parse('2026-11-21T06:00:00.000Z');
const reinstatedAt = '2026-11-21T05:00:00.000Z';
const failover: Failover = {
  id: 's-f1',
  epoch: 2,
  from: 'a',
  to: 'b',
  mode: 'auto',
  requestedBy: 'auto',
  reason: 'primary lost',
  state: 'completed',
  detectedAt: null,
  decidedAt: '2026-11-21T04:50:00.000Z',
  completedAt: '2026-11-21T04:50:10.000Z',
  lagSecondsAtDecision: 0.4,
  dataLossAllowed: false,
  reinstatedAt,
};
function status(patch: Partial<StoreStatus> = {}): StoreStatus {
  return {
    id: 's',
    name: 'S',
    region: null,
    status: 'healthy',
    since: reinstatedAt,
    primary: 'b',
    epoch: 2,
    lagSeconds: 0.1,
    nodes: [],
    arbiter: null,
    reasons: [],
    lastFailover: failover,
    checkedAt: null,
    ...patch,
  };
}

describe('"redundancy restored" on the public page', () => {
  it('is said for a day after the failed-over store got its old primary back as a standby, while healthy', () => {
    expect(redundancyRestoredAt(status(), T)).toBe(reinstatedAt);
    expect(redundancyRestoredAt(status(), Date.parse(reinstatedAt) + REDUNDANCY_NOTE_MS)).toBeNull();
  });

  it('is not said before the reinstatement, for a failover that did not complete, or while the store is not healthy', () => {
    expect(redundancyRestoredAt(status({ lastFailover: { ...failover, reinstatedAt: null } }), T)).toBeNull();
    expect(redundancyRestoredAt(status({ lastFailover: { ...failover, state: 'failed' } }), T)).toBeNull();
    expect(redundancyRestoredAt(status({ status: 'degraded' }), T)).toBeNull();
    expect(redundancyRestoredAt(status({ lastFailover: null }), T)).toBeNull();
    expect(redundancyRestoredAt(undefined, T)).toBeNull();
  });
});
