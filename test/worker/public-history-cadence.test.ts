/**
 * When the public page's figures move: after the first monitored minute (not ten minutes later),
 * and every minute while anything is open, so an outage reads as long as it has lasted.
 */
import { describe, expect, it } from 'vitest';
import type { PublicStore } from '#shared/schemas/api.ts';
import { fleetStub } from '#worker/fleet/stub.ts';
import { healthyStore, setAgent, watchedStore } from './support.ts';

type Watched = Awaited<ReturnType<typeof watchedStore>>;

/** The store as the public JSON shows it, read from the Fleet (the route's 5 s edge cache aside). */
async function publicView(w: Watched): Promise<PublicStore & { monitoringSince?: string | null }> {
  const status = await fleetStub(w.api.env, w.api.fleet).publicStatus(w.monitor.now());
  const store = status.stores.find((s) => s.id === w.id);
  if (!store) throw new Error(`${w.id} is not on the public page`);
  return store;
}

async function today(w: Watched) {
  const page = await fleetStub(w.api.env, w.api.fleet).publicPage(w.monitor.now());
  return page.history[w.id]?.days.at(-1);
}

describe('public history cadence', () => {
  it('has a 24 h figure and says since when it monitors once the first minute closed', async () => {
    const w = await watchedStore(); // 2026-11-21 10:00:20 UTC, healthy
    expect((await publicView(w)).monitoringSince).toBeNull();
    await w.monitor.rounds(10); // 10:01:10: the first minute closed
    await w.monitor.round();
    const store = await publicView(w);
    expect(store.uptime['24h']).toBe(100);
    expect(store.monitoringSince).toBe('2026-11-21T10:00:00.000Z');
  });

  it('keeps an outage figure current every minute it lasts, not only at its start', async () => {
    const w = await watchedStore();
    await w.monitor.rounds(24); // two healthy minutes, published
    await setAgent(`${w.id}-a`, { mode: 'http500' });
    await setAgent(`${w.id}-vip`, { mode: 'http500' });
    await w.monitor.rounds(4 * 60, 1000); // four minutes without a serving primary
    const store = await publicView(w);
    expect(store.status).toBe('primary_down');
    // About four of the six monitored minutes were down; a history taken at the change would say ~0.
    expect(store.uptime['24h']).toBeLessThan(50);
    expect((await today(w))?.downtimeMinutes).toBeGreaterThanOrEqual(3);

    await healthyStore(w.id);
    await w.monitor.rounds(14); // back, and a minute closed since
    const after = await publicView(w);
    expect(after.status).toBe('healthy');
    expect((await today(w))?.downtimeMinutes).toBeGreaterThanOrEqual(3.9);
  });

  it('shows an unreachable store losing uptime within a minute', async () => {
    const w = await watchedStore();
    await w.monitor.rounds(24);
    for (const name of ['a', 'b', 'vip', 'arb']) await setAgent(`${w.id}-${name}`, { mode: 'http500' });
    await w.monitor.rounds(90, 1000);
    const store = await publicView(w);
    expect(store.status).toBe('store_unreachable');
    expect(store.uptime['24h']).toBeLessThan(100);
  });
});
