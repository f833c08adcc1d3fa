import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import {
  client,
  fleetConfig,
  healthyStore,
  simulatedMonitor,
  standIns,
  storeConfig,
  TOKENS,
  unique,
} from './support.ts';

describe('public status', () => {
  it('lists public stores with status and uptime, and nothing internal from the config', async () => {
    const [shown, hidden] = [unique('st'), unique('st')];
    await Promise.all([healthyStore(shown), healthyStore(hidden)]);
    const monitor = await simulatedMonitor(shown);
    const api = client();
    const config = storeConfig(shown);
    const withTcp = { ...config, nodes: config.nodes.map((n) => ({ ...n, tcp: standIns().tcpOpen })) };
    await api.putConfig(fleetConfig([withTcp, storeConfig(hidden, { public: false })]));
    await monitor.rounds(4);

    const res = await api.call('/api/v1/public/status');
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as { stores: Array<Record<string, unknown>> };
    expect(body.stores).toEqual([
      {
        id: shown,
        name: `Store ${shown}`,
        region: 'South China',
        status: 'healthy',
        since: expect.any(String),
        uptime: { '24h': null, '7d': null, '30d': null, '90d': null },
        nextMaintenance: null,
        monitoringSince: null,
      },
    ]);

    const page = await (await api.call('/status')).text();
    expect(page).toContain(`Store ${shown}`);
    expect(page).toContain('Operational');
    expect(page).not.toContain(hidden);
    const badges = await Promise.all(
      [`/badge/${shown}.svg?window=24h`, `/badge/${shown}.json?window=90d`].map(async (p) =>
        (await api.call(p)).text(),
      ),
    );
    for (const document of [text, page, ...badges]) {
      const urls = [withTcp.activeEndpoint, withTcp.arbiter.url, ...withTcp.nodes.flatMap((n) => [n.url, n.tcp])];
      const forbidden = new Set<string>(['127.0.0.1', 'localhost', ...Object.values(TOKENS)]);
      for (const u of urls) {
        forbidden.add(u);
        const parsed = new URL(u.includes('://') ? u : `tcp://${u}`);
        forbidden.add(parsed.host);
        forbidden.add(`:${parsed.port}`);
      }
      for (const secret of Object.values(TEST_SECRETS)) for (const s of secret.split(',')) forbidden.add(s);
      for (const f of forbidden) expect(document).not.toContain(f);
      // Beyond the config's own URLs: no URL at all, but the SVG namespace (badges, the page's icon).
      expect(document.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    }
  });

  it('answers an empty fleet with an empty list, not an error', async () => {
    const res = await client().call('/api/v1/public/status');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { stores: unknown[] }).stores).toEqual([]);
  });
});

describe('edge cache of the public pages', () => {
  it('a query parameter the page does not read cannot force a miss: /status?x=<random> hits the cache', async () => {
    const api = client();
    await api.putConfig(fleetConfig([]));
    for (const path of ['/status', '/api/v1/public/status']) {
      expect((await api.call(path)).headers.get('x-mirrorwatch-cache'), path).toBe('miss');
      const random = `${path}?x=${crypto.randomUUID()}&utm_source=${crypto.randomUUID()}`;
      expect((await api.call(random)).headers.get('x-mirrorwatch-cache'), random).toBe('hit');
    }
  });

  it('a parameter the page does read is part of the key: ?region= is a page of its own', async () => {
    const api = client();
    await api.putConfig(fleetConfig([]));
    expect((await api.call('/status?region=North')).headers.get('x-mirrorwatch-cache')).toBe('miss');
    expect((await api.call('/status?region=North&x=1')).headers.get('x-mirrorwatch-cache')).toBe('hit');
    expect((await api.call('/status?region=South')).headers.get('x-mirrorwatch-cache')).toBe('miss');
  });
});
