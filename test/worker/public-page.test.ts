import { describe, expect, it } from 'vitest';
import {
  client,
  fleetConfig,
  healthyStore,
  setAgent,
  simulatedMonitor,
  storeConfig,
  unique,
  watchedStore,
} from './support.ts';

const publishedStore = (extra: Record<string, unknown> = {}) =>
  watchedStore({ store: { timezone: 'Asia/Shanghai', ...extra } });

describe('the public page over time', () => {
  it('shows the outage in public words and the day it happened on the 90-day bar', async () => {
    const { id, monitor, api } = await publishedStore();
    await monitor.rounds(24); // two healthy minutes
    await setAgent(`${id}-a`, { mode: 'http500' });
    await setAgent(`${id}-vip`, { mode: 'http500' });
    await monitor.round();
    await monitor.rounds(60, 1000); // a minute without a serving primary
    await setAgent(`${id}-a`, {
      mode: 'report',
      report: { node: `${id}-a`, role: 'primary', epoch: 1, healthy: true, time: new Date().toISOString() },
    });
    await healthyStore(id);
    await monitor.round(1000);
    await monitor.rounds(12 * 11); // past the ten-minute history refresh

    const page = await (await api.call('/status')).text();
    expect(page).toContain('Outage: the store database was unavailable (resolved');
    // 2026-11-21 10:00 UTC is 18:00 in Shanghai: the store's day is the 21st.
    expect(page).toMatch(/title="2026-11-21: 9\d\.\d\d %, \d+(\.\d)? min down"/);
    expect(page).not.toContain(`${id}-a`);
    expect(page).not.toContain('HTTP 500');
  });
});

describe('planned maintenance on the public page', () => {
  it('lists the next window with its times only, never its reason', async () => {
    const id = unique('st');
    await healthyStore(id);
    const monitor = await simulatedMonitor(id); // 2026-11-21 10:00 UTC
    const api = client();
    await api.putConfig({
      ...fleetConfig([storeConfig(id)]),
      maintenance: [
        {
          id: 'disk-swap',
          stores: [id],
          reason: 'replace disk in rack 7 at 10.0.3.12',
          start: '2026-11-22T02:00:00Z',
          end: '2026-11-22T03:30:00Z',
        },
      ],
    });
    await monitor.round(0);
    await monitor.rounds(14); // a completed minute: the public view is refreshed
    const json = (await (await api.call('/api/v1/public/status')).json()) as {
      stores: Array<{ id: string; nextMaintenance: unknown }>;
    };
    expect(json.stores.find((s) => s.id === id)?.nextMaintenance).toEqual({
      start: '2026-11-22T02:00:00.000Z',
      end: '2026-11-22T03:30:00.000Z',
    });
    const page = await (await api.call('/status')).text();
    expect(page).toContain('Planned maintenance');
    expect(page).toContain(
      '<time class="figure" datetime="2026-11-22T02:00:00.000Z">Sun 22 Nov 2026 02:00</time>–<time class="figure" datetime="2026-11-22T03:30:00.000Z">03:30</time> UTC',
    );
    expect(page + JSON.stringify(json)).not.toMatch(/rack 7|10\.0\.3\.12|disk-swap/);
  });
});

describe('badges', () => {
  it('serves an SVG and a shields.io endpoint for a public store, with uptime over a chosen window', async () => {
    const { id, api } = await publishedStore();
    const svg = await api.call(`/badge/${id}.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    const text = await svg.text();
    expect(text).toContain(`Store ${id}`);
    expect(text).toContain('operational');
    const json = await api.call(`/badge/${id}.json?window=7d`);
    expect(await json.json()).toEqual({
      schemaVersion: 1,
      label: `Store ${id}`,
      message: 'operational · no data 7d',
      color: 'brightgreen',
    });
  });

  it('a private store has no badge, and bad requests get clear errors', async () => {
    const { id, api } = await publishedStore({ public: false });
    expect((await api.call(`/badge/${id}.svg`)).status).toBe(404);
    expect((await api.call('/badge/nope.png')).status).toBe(404);
    expect((await api.call(`/badge/${id}.json?window=1y`)).status).toBe(400);
  });
});

describe('edge cache', () => {
  it('serves the status page and the public JSON from the cache for a few seconds', async () => {
    const { api } = await publishedStore();
    for (const path of ['/status', '/api/v1/public/status']) {
      const first = await api.call(path);
      expect(first.headers.get('cache-control')).toBe('public, max-age=5');
      expect(first.headers.get('x-mirrorwatch-cache')).toBe('miss');
      await first.text();
      const second = await api.call(path);
      expect(second.headers.get('x-mirrorwatch-cache')).toBe('hit');
    }
  });
});
