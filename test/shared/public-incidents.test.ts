import { describe, expect, it } from 'vitest';
import { publicIncidents } from '#shared/public-incidents.ts';
import type { Failover } from '#shared/schemas/status.ts';

const t = (min: number) => Date.UTC(2026, 10, 21, 8, min);
const iso = (min: number) => new Date(t(min)).toISOString();

describe('publicIncidents', () => {
  it('merges consecutive troubled statuses into one outage that ends when the store is healthy', () => {
    const incidents = publicIncidents(
      [
        { at: t(0), status: 'healthy' },
        { at: t(1), status: 'primary_down' },
        { at: t(2), status: 'failing_over' },
        { at: t(3), status: 'healthy' },
      ],
      [],
    );
    expect(incidents).toEqual([
      { kind: 'outage', title: 'Outage: the store database was unavailable', start: iso(1), end: iso(3) },
    ]);
  });

  it('splits an outage followed by reduced redundancy, and leaves the open one without an end', () => {
    const incidents = publicIncidents(
      [
        { at: t(1), status: 'store_unreachable' },
        { at: t(5), status: 'degraded' },
      ],
      [],
    );
    expect(incidents.map((i) => [i.kind, i.start, i.end])).toEqual([
      ['degraded', iso(5), null],
      ['outage', iso(1), iso(5)],
    ]);
  });

  it('words a degraded spell so that it fits any cause: a full disk on the primary is not "the standby"', () => {
    const [incident] = publicIncidents([{ at: t(1), status: 'degraded' }], []);
    expect(incident?.title).toBe('Degraded: the store kept serving while part of it needed attention');
    expect(incident?.title).not.toMatch(/standby|redundancy/i);
  });

  it('tells failovers without node names, newest first, and keeps at most the limit', () => {
    const failover = (min: number, state: Failover['state']): Failover => ({
      id: `s-f${min}`,
      epoch: 2,
      from: 'secret-node-a',
      to: 'secret-node-b',
      mode: 'auto',
      requestedBy: 'auto',
      reason: 'primary secret-node-a unreachable (10.0.0.5:5432)',
      state,
      detectedAt: iso(min),
      decidedAt: iso(min),
      completedAt: state === 'completed' ? iso(min + 1) : null,
      lagSecondsAtDecision: 0.1,
      dataLossAllowed: false,
    });
    const incidents = publicIncidents([], [failover(1, 'completed'), failover(9, 'failed'), failover(4, 'aborted')], 5);
    expect(incidents.map((i) => [i.kind, i.start, i.end])).toEqual([
      ['failover', iso(9), null],
      ['failover', iso(1), iso(2)],
    ]);
    expect(JSON.stringify(incidents)).not.toMatch(/secret|10\.0\.0\.5/);
    const many = publicIncidents(
      Array.from({ length: 30 }, (_, i) => ({ at: t(i), status: i % 2 ? 'healthy' : 'degraded' }) as const),
      [],
      10,
    );
    expect(many).toHaveLength(10);
  });
});
