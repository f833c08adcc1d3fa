import { describe, expect, it } from 'vitest';
import {
  actionsTo,
  alertReceiver,
  arbiterReport,
  client,
  fleetConfig,
  healthyStore,
  setAgent,
  simulatedMonitor,
  standbyReport,
  storeConfig,
  unique,
  watchedStore,
} from './support.ts';

/** An auto-failover store with alerts, on a simulated clock that starts at the real time (the API's windows use it). */
async function autoStore() {
  const receiver = unique('alerts');
  const { alerts, received } = alertReceiver(receiver);
  const watched = await watchedStore({
    store: { failover: { mode: 'auto', thresholdSeconds: 10, leaseSeconds: 2 } },
    fleet: { alerts },
    startAt: Date.now(),
  });
  return { ...watched, alerts: async () => (await received()).map((r) => r.message) };
}

/** Every view agrees the primary is gone: all an automatic failover needs, but for a window. */
const crashPrimary = (id: string) =>
  Promise.all([
    setAgent(`${id}-a`, { mode: 'http500' }),
    setAgent(`${id}-vip`, { mode: 'http500' }),
    setAgent(`${id}-b`, {
      mode: 'report',
      report: standbyReport(`${id}-b`, 1, { state: 'disconnected', primaryReachable: false, lagSeconds: null }),
    }),
    setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: false, [`${id}-b`]: true }, 1) }),
  ]);

describe('maintenance windows', () => {
  it('an operator window shows maintenance, holds alerts and automatic failover; both resume when it ends', async () => {
    const { id, monitor, api, alerts } = await autoStore();
    const opened = await api.call(`/api/v1/stores/${id}/maintenance`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'replacing the standby disk', minutes: 30 }),
    });
    expect(opened.status).toBe(201);
    const { window } = (await opened.json()) as { window: { id: string; by: string } };
    expect(window.by).toMatch(/^operator/);

    let status = await monitor.round();
    expect(status?.status).toBe('maintenance');
    expect(status?.reasons[0]).toContain('replacing the standby disk');
    await crashPrimary(id);
    status = await monitor.rounds(12); // a minute, far past the 10 s threshold
    expect(status?.status).toBe('maintenance');
    expect(await alerts()).toEqual([]);
    expect(await actionsTo(`${id}-b`)).toEqual([]); // no promote
    const failovers = await api.call(`/api/v1/stores/${id}/failovers`, { token: 'viewer' });
    expect(((await failovers.json()) as { failovers: unknown[] }).failovers).toEqual([]);
    const view = await (await api.call(`/api/v1/stores/${id}/maintenance`, { token: 'viewer' })).json();
    expect(view).toMatchObject({ active: { id: window.id, reason: 'replacing the standby disk' } });

    const ended = await api.call(`/api/v1/stores/${id}/maintenance`, { method: 'DELETE', token: 'operator' });
    expect(ended.status).toBe(200);
    await monitor.rounds(3, 1000);
    // The outage was held, not lost: it goes out now, and automatic failover acts.
    expect((await alerts()).map((a) => [a.kind, a.condition])).toContainEqual(['open', 'outage']);
    await monitor.rounds(15, 1000);
    const promotes = (await actionsTo(`${id}-b`)).filter((p) => JSON.parse(p.body).action === 'promote');
    expect(promotes.length).toBeGreaterThanOrEqual(1);

    const log = await api.call(`/api/v1/stores/${id}/events?type=maintenance`, { token: 'viewer' });
    const lines = ((await log.json()) as { events: Array<{ message: string }> }).events.map((e) => e.message);
    expect(lines.some((l) => /^operator\S* scheduled maintenance/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('began'))).toBe(true);
    expect(lines.some((l) => l.includes('ended'))).toBe(true);
  });

  it('a condition that opens and clears inside a window is never sent', async () => {
    const { id, monitor, api, alerts } = await autoStore();
    await api.call(`/api/v1/stores/${id}/maintenance`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'patching', minutes: 1 }),
    });
    await setAgent(`${id}-b`, { mode: 'garbage' });
    expect((await monitor.rounds(6))?.status).toBe('maintenance');
    await healthyStore(id);
    await monitor.rounds(20); // past the end of the window and past the flap window
    expect((await monitor.round())?.status).toBe('healthy');
    expect(await alerts()).toEqual([]);
  });

  it('a window that opens and closes while rounds run takes effect at its start and lifts at its end', async () => {
    const startAt = Date.UTC(2026, 10, 21, 10, 0, 0);
    const { monitor } = await watchedStore({
      startAt,
      fleet: {
        maintenance: [
          {
            id: 'swap',
            stores: [],
            regions: ['South China'],
            start: new Date(startAt + 2 * 60_000).toISOString(),
            end: new Date(startAt + 4 * 60_000).toISOString(),
          },
        ],
      },
    });
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) seen.push((await monitor.round())?.status ?? ''); // 5 minutes of rounds
    // From 10:00:15 (watchedStore ran the first rounds): healthy until 10:02, maintenance until 10:04, then healthy.
    const at = (minute: number) => seen[Math.round((minute * 60_000) / 5000) - 5];
    expect([at(1.5), at(2.5), at(3.5), at(4.5)]).toEqual(['healthy', 'maintenance', 'maintenance', 'healthy']);
    expect(seen.filter((s) => s === 'maintenance')).toHaveLength(24);
  });

  it('a recurring config window in the store time zone covers the store of its region only', async () => {
    const id = unique('st');
    const other = unique('st');
    await Promise.all([healthyStore(id), healthyStore(other)]);
    // 10:00 UTC is 18:00 in Shanghai: a nightly 17:30 window of 60 minutes covers it.
    const start = Date.UTC(2026, 10, 21, 10, 0, 0);
    const [monitor, otherMonitor] = await Promise.all([simulatedMonitor(id, start), simulatedMonitor(other, start)]);
    const api = client();
    const put = await api.putConfig({
      ...fleetConfig([
        storeConfig(id, { region: 'East', timezone: 'Asia/Shanghai' }),
        storeConfig(other, { region: 'West', timezone: 'Asia/Shanghai' }),
      ]),
      maintenance: [{ id: 'nightly-backup', regions: ['East'], cron: '30 17 * * *', durationMinutes: 60 }],
    });
    expect(put.status).toBe(200);
    await Promise.all([monitor.round(0), otherMonitor.round(0)]);
    expect((await monitor.rounds(3))?.status).toBe('maintenance');
    expect((await otherMonitor.rounds(3))?.status).toBe('healthy');
    await monitor.round(30 * 60_000); // 18:30: the window is over
    expect((await monitor.rounds(3))?.status).toBe('healthy');
  });

  it('rejects a window that ends in the past or names no length, and changes nothing', async () => {
    const { id, api } = await autoStore();
    for (const body of [{ reason: 'x' }, { reason: 'x', until: '2001-01-01T00:00:00Z' }, { reason: '', minutes: 5 }]) {
      const res = await api.call(`/api/v1/stores/${id}/maintenance`, {
        method: 'POST',
        token: 'operator',
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(422);
    }
    const view = (await (await api.call(`/api/v1/stores/${id}/maintenance`, { token: 'viewer' })).json()) as {
      windows: unknown[];
    };
    expect(view.windows).toEqual([]);
    const none = await api.call(`/api/v1/stores/${id}/maintenance`, { method: 'DELETE', token: 'operator' });
    expect(none.status).toBe(404);
  });
});
