import { describe, expect, it } from 'vitest';
import { client, fleetConfig, healthyStore, setAgent, storeConfig, unique, watchedStore } from './support.ts';

interface Page {
  events: Array<{ id: number; at: string; type: string; message: string }>;
  next: string | null;
}

describe("the store's online log: GET /api/v1/stores/:id/events", () => {
  it('filters by type and time and pages without gaps or repeats', async () => {
    const { id, monitor, api } = await watchedStore();
    const brokenAt = monitor.now();
    for (let i = 0; i < 3; i++) {
      await setAgent(`${id}-b`, { mode: 'garbage' });
      await monitor.rounds(2);
      await healthyStore(id);
      await monitor.rounds(2);
    }
    const get = async (query: string) => {
      const res = await api.call(`/api/v1/stores/${id}/events?${query}`, { token: 'viewer' });
      expect(res.status).toBe(200);
      return (await res.json()) as Page;
    };

    const all = await get('limit=1000');
    const status = await get('type=status');
    expect(status.events.length).toBeGreaterThanOrEqual(7); // unknown → healthy, then 3 × (→ degraded, → healthy)
    expect(new Set(status.events.map((e) => e.type))).toEqual(new Set(['status']));
    const both = await get('type=status,config');
    expect(both.events.length).toBe(status.events.length + 1);

    const since = await get(`type=status&since=${new Date(brokenAt).toISOString()}`);
    expect(since.events.every((e) => Date.parse(e.at) >= brokenAt)).toBe(true);
    expect(since.events).toHaveLength(6);

    const paged: Page['events'] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await get(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.events.length).toBeLessThanOrEqual(3);
      paged.push(...page.events);
      cursor = page.next;
    } while (cursor);
    expect(paged.map((e) => e.id)).toEqual(all.events.map((e) => e.id));
    expect(paged.map((e) => e.id)).toEqual([...paged.map((e) => e.id)].sort((a, b) => b - a));
  });

  it('answers 400 to an unknown type, a bad time or a bad cursor', async () => {
    const id = unique('st');
    await healthyStore(id);
    const api = client();
    await api.putConfig(fleetConfig([storeConfig(id)]));
    for (const query of [
      'type=nonsense',
      'type=status,',
      'since=yesterday',
      'until=2026-13-01',
      'cursor=-1',
      'cursor=abc',
    ]) {
      const res = await api.call(`/api/v1/stores/${id}/events?${query}`, { token: 'viewer' });
      expect(res.status, query).toBe(400);
    }
  });
});
