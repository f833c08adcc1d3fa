import { describe, expect, it } from 'vitest';
import {
  arbiterReport,
  client,
  fleetConfig,
  healthyStore,
  newlyWatchedStore,
  primaryReport,
  setAgent,
  simulatedMonitor,
  standbyReport,
  standIns,
  storeConfig,
  unique,
  watchedStore,
} from './support.ts';

describe('StoreMonitor classification, end to end against stand-in agents', () => {
  it('says unknown during the startup grace, then healthy after three rounds', async () => {
    const { monitor } = await newlyWatchedStore();
    expect((await monitor.round())?.status).toBe('unknown');
    const status = await monitor.round();
    expect(status).toMatchObject({
      status: 'healthy',
      primary: expect.stringMatching(/-a$/),
      epoch: 1,
      lagSeconds: 0.4,
    });
    expect(status?.nodes.map((n) => [n.role, n.reachable, n.healthy])).toEqual([
      ['primary', true, true],
      ['standby', true, true],
    ]);
    expect(status?.arbiter).toEqual({ reachable: true });
    expect(status?.reasons).toEqual([]);
  });

  it('a crashed primary is retried once, then primary_down; it recovers to healthy', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-a`, { mode: 'http500' });
    await setAgent(`${id}-vip`, { mode: 'http500' });
    expect((await monitor.round())?.status).toBe('healthy'); // one failure: retried a second later, not yet down
    const down = await monitor.round(1000);
    expect(down?.status).toBe('primary_down');
    expect(down?.reasons[0]).toContain(`primary ${id}-a unreachable from the edge (HTTP 500 from the agent)`);
    await healthyStore(id);
    expect((await monitor.round(1000))?.status).toBe('healthy');
    const { events } = await monitor.stub.events({ limit: 10, types: null, since: null, until: null, cursor: null });
    expect(events.map((e) => e.status).filter(Boolean)).toEqual(['healthy', 'primary_down', 'healthy']);
  });

  it('a store whose every endpoint fails is store_unreachable, not primary_down', async () => {
    const { id, monitor } = await watchedStore();
    for (const agent of ['a', 'b', 'vip', 'arb']) await setAgent(`${id}-${agent}`, { mode: 'hang' });
    await monitor.round();
    const status = await monitor.round(1000);
    expect(status?.status).toBe('store_unreachable');
    expect(status?.reasons[0]).toMatch(/never failing over/);
  });

  it('garbage from the standby is a failed probe with its reason, and the store is degraded', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'garbage' });
    const status = await monitor.rounds(3);
    expect(status?.status).toBe('degraded');
    expect(status?.nodes[1]).toMatchObject({ reachable: false, error: expect.stringMatching(/^invalid JSON/) });
    expect(status?.reasons.some((r) => r.startsWith(`standby ${id}-b unreachable`))).toBe(true);
  });

  it('lag over the limit degrades the store with the figures in words', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 1, { lagSeconds: 45 }) });
    const status = await monitor.rounds(2);
    expect(status?.status).toBe('degraded');
    expect(status?.reasons).toContain('standby lag 45 s exceeds the 30 s limit');
  });

  it('two primaries at one epoch are a split brain', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 1) });
    const status = await monitor.rounds(2);
    expect(status?.status).toBe('split_brain');
  });

  it('a closed database port degrades the store', async () => {
    const id = unique('st');
    await healthyStore(id);
    const monitor = await simulatedMonitor(id);
    const config = storeConfig(id);
    const tcp = [standIns().tcpRefused, standIns().tcpOpen]; // node a's port refuses, node b's is open
    const withTcp = { ...config, nodes: config.nodes.map((n, i) => ({ ...n, tcp: tcp[i] })) };
    expect((await client().putConfig(fleetConfig([withTcp]))).status).toBe(200);
    await monitor.round(0);
    const status = await monitor.rounds(3);
    expect(status?.status).toBe('degraded');
    expect(status?.reasons.some((r) => r.startsWith(`database port of ${id}-a refuses TCP`))).toBe(true);
    expect(status?.reasons.some((r) => r.includes(`${id}-b refuses`))).toBe(false);
  });

  it('the arbiter losing sight of the standby is reported', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-arb`, {
      mode: 'report',
      report: arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: false }, 1),
    });
    const status = await monitor.rounds(2);
    expect(status?.reasons).toContain(`the arbiter does not see ${id}-b`);
  });
});
