import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { healthyStore, newlyWatchedStore, setAgent, simulatedMonitor, unique } from './support.ts';

describe('storage budget', () => {
  it('a steady store writes at most 0.1 SQLite rows per probe', async () => {
    const { monitor } = await newlyWatchedStore({ startAt: Date.UTC(2026, 10, 21, 8, 0, 0) });
    await monitor.rounds(24); // two minutes of warm-up: startup grace, first status, first rollups
    const before = await monitor.stub.getStats();
    await monitor.rounds(12 * 15); // fifteen minutes at the default 5 s interval
    const after = await monitor.stub.getStats();
    const probes = after.probes - before.probes;
    const rows = after.rowsWritten - before.rowsWritten;
    expect(probes).toBe(12 * 15 * 4); // two nodes, the active endpoint and the arbiter per round
    expect(rows).toBeGreaterThan(0); // the minute rollups are really written
    expect(rows / probes).toBeLessThanOrEqual(0.1);
  });
});

describe('rollups and uptime', () => {
  it('minute rollups are written, a UTC day is closed at midnight, and uptime counts downtime by time', async () => {
    const { id, monitor } = await newlyWatchedStore({ startAt: Date.UTC(2026, 10, 21, 23, 50, 0) });
    await monitor.rounds(12 * 5); // 5 healthy minutes
    expect((await monitor.stub.uptime())['24h']).toBe(100);

    await setAgent(`${id}-a`, { mode: 'http500' });
    await setAgent(`${id}-vip`, { mode: 'http500' });
    await monitor.round(); // first failure is retried...
    await monitor.rounds(120, 1000); // ...then two minutes down, probed every second
    expect((await monitor.stub.status())?.status).toBe('primary_down');
    await healthyStore(id);
    await monitor.round(1000);
    await monitor.rounds(12 * 6); // past midnight

    const uptime = await monitor.stub.uptime();
    const down = 100 - (uptime['24h'] ?? 0);
    // About 121 s of 781 s monitored were without a serving primary (a probe-interval of slack either way).
    expect(down).toBeGreaterThan((115 / 781) * 100);
    expect(down).toBeLessThan((127 / 781) * 100);
    expect(uptime['7d']).toBeCloseTo(uptime['24h'] ?? 0, 1);

    const days = await runInDurableObject(monitor.stub, (_m, state) =>
      state.storage.sql.exec('SELECT day FROM day_rollups').toArray(),
    );
    expect(days).toEqual([{ day: Math.floor(Date.UTC(2026, 10, 21) / 86_400_000) }]);
    const minutes = await runInDurableObject(monitor.stub, (_m, state) =>
      state.storage.sql.exec('SELECT count(*) AS n FROM minute_rollups').one(),
    );
    expect(Number(minutes.n)).toBeGreaterThanOrEqual(12);
  });

  it('a store with no monitored time has no uptime figure, never 100 %', async () => {
    const id = unique('st');
    const monitor = await simulatedMonitor(id);
    expect(await monitor.stub.uptime()).toEqual({ '24h': null, '7d': null, '30d': null, '90d': null });
  });
});
