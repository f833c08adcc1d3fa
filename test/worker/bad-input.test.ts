import { describe, expect, it } from 'vitest';
import { routeTable } from '#worker/app.ts';
import { client, fleetConfig, healthyStore, hookHeaders, storeConfig, unique } from './support.ts';

const BODIES = ['', 'null', '[]', '"text"', '{"a":', '{}', '{"event":123,"reason":[],"minutes":-1}', '\u0000\u00ff'];
const QUERIES = [
  '',
  '?limit=abc&before=x',
  '?type=zzz&since=never&until=&cursor=-1',
  '?window=1y&region=%00',
  '?id=%2e%2e',
];

/** Every route, called as its audience may, with garbage in each place a client controls: never a 5xx. */
describe('client input never produces a 5xx', () => {
  for (const route of routeTable) {
    it(`${route.method} ${route.path}`, async () => {
      const id = unique('st');
      await healthyStore(id);
      const api = client();
      await api.putConfig(fleetConfig([storeConfig(id, { jobs: [{ id: 'sync', schedule: '*/10 * * * *' }] })]));
      const params = [id, 'no-such-store', 'BAD ID', 'x'.repeat(300), '%00'];
      for (const param of params) {
        const path = route.path.replace(/:(\w+)/g, (_m, name: string) => (name === 'jobId' ? 'sync' : param));
        for (const query of QUERIES) {
          for (const body of route.method === 'GET' ? [undefined] : BODIES) {
            const headers: Record<string, string> =
              route.audience.kind === 'signed'
                ? await hookHeaders(param, route.path.includes('heartbeat') ? 'job:sync' : 'hook', body ?? '')
                : route.audience.kind === 'role'
                  ? { authorization: 'Bearer admin-token-2' }
                  : {};
            const res = await api.call(`${path}${query}`, { method: route.method, headers, body });
            expect(res.status, `${route.method} ${path}${query} ${JSON.stringify(body)}`).toBeLessThan(500);
            await res.body?.cancel();
          }
        }
      }
    });
  }
});
