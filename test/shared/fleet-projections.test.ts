import { describe, expect, it } from 'vitest';
import { diffConfigs } from '#shared/fleet/config-diff.ts';
import { placeholderStatus, publicPage } from '#shared/fleet/public-page.ts';
import type { PublicHistory } from '#shared/schemas/api.ts';
import type { StoreStatus } from '#shared/schemas/status.ts';
import { type Json, parsed, store } from './support/config-fixtures.ts';

const NOW = Date.UTC(2026, 10, 21, 5, 0, 0);
const config = (stores: Json[], patch: Record<string, Json> = {}) => parsed({ version: 1, stores, ...patch });

describe('diffConfigs: which monitors a new config touches', () => {
  it('a first config adds every store', () => {
    expect(diffConfigs(null, config([store('gz'), store('sz')]))).toEqual({
      added: ['gz', 'sz'],
      changed: [],
      removed: [],
    });
  });

  it('names added, changed and removed stores, and leaves untouched ones out', () => {
    const before = config([store('gz'), store('sz'), store('bj')]);
    const after = config([store('gz'), store('sz', { name: 'Shenzhen' }), store('sh')]);
    expect(diffConfigs(before, after)).toEqual({ added: ['sh'], changed: ['sz'], removed: ['bj'] });
  });

  it('a change of the defaults changes every store that does not override it', () => {
    const before = config([store('gz'), store('sz', { failover: { mode: 'auto' } })]);
    const after = config([store('gz'), store('sz', { failover: { mode: 'auto' } })], {
      defaults: { failover: { mode: 'off' } },
    });
    expect(diffConfigs(before, after)).toEqual({ added: [], changed: ['gz'], removed: [] });
  });

  it('an alert route for one region changes only the stores in it', () => {
    const stores = [store('gz', { region: 'south' }), store('bj', { region: 'north' })];
    const alerts = {
      channels: [{ id: 'ops', type: 'slack', urlSecret: 'SLACK_URL' }],
      routes: [{ channels: ['ops'], regions: ['south'] }],
    };
    expect(diffConfigs(config(stores), config(stores, { alerts }))).toEqual({
      added: [],
      changed: ['gz'],
      removed: [],
    });
  });

  it('the same config again changes nothing', () => {
    const c = config([store('gz'), store('sz')]);
    expect(diffConfigs(c, c)).toEqual({ added: [], changed: [], removed: [] });
  });
});

describe('publicPage: what the public may see', () => {
  const history: PublicHistory = {
    uptime: { '24h': 99.5, '7d': 99.9, '30d': null, '90d': null },
    days: [{ date: '2026-11-20', availability: 99.5, downtimeMinutes: 7, failovers: 1 }],
    incidents: [
      { kind: 'outage', title: 'Outage', start: '2026-11-20T01:00:00.000Z', end: '2026-11-20T01:07:00.000Z' },
    ],
    planned: null,
  };

  it('lists only public stores, with status, since and uptime, and copies nothing internal', () => {
    const c = config([
      store('gz', { region: 'South China' }),
      store('hidden', { public: false }),
      store('sz', { region: 'South China' }),
    ]);
    const status: StoreStatus = {
      ...placeholderStatus({ id: 'gz', name: 'Store gz' }, NOW),
      status: 'degraded',
      since: '2026-11-21T04:00:00.000Z',
      reasons: ['standby gz-b unreachable at http://gz-b.example:8008'],
      primary: 'gz-a',
    };
    const page = publicPage(c, new Map([['gz', status]]), new Map([['gz', history]]), NOW);
    expect(page.status).toEqual({
      generatedAt: new Date(NOW).toISOString(),
      stores: [
        {
          id: 'gz',
          name: 'Store gz',
          region: 'South China',
          status: 'degraded',
          since: '2026-11-21T04:00:00.000Z',
          uptime: history.uptime,
          nextMaintenance: null,
          monitoringSince: null,
        },
        {
          id: 'sz',
          name: 'Store sz',
          region: 'South China',
          status: 'unknown',
          since: new Date(NOW).toISOString(),
          uptime: { '24h': null, '7d': null, '30d': null, '90d': null },
          nextMaintenance: null,
          monitoringSince: null,
        },
      ],
    });
    expect(Object.keys(page.history)).toEqual(['gz', 'sz']);
    expect(page.history.gz).toEqual({
      days: history.days,
      incidents: history.incidents,
      planned: null,
      timeZone: 'UTC',
    });
    const text = JSON.stringify(page);
    for (const internal of ['example:8008', 'gz-a', 'gz-b', 'hidden']) expect(text).not.toContain(internal);
  });

  it('an empty or missing config is an empty page, not an error', () => {
    expect(publicPage(null, new Map(), new Map(), NOW).status.stores).toEqual([]);
  });
});
