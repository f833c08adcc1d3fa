/** `config diff`: added, changed (with which fields) and removed stores, as the worker would see them. */
import { describe, expect, it } from 'vitest';
import { configChanges, hasChanges } from '#cli/config-changes.ts';
import { FleetConfig, type FleetConfigInput } from '#shared/schemas/config.ts';

const store = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  activeEndpoint: `http://${id}-vip:8008`,
  nodes: [
    { id: `${id}-a`, url: `http://${id}-a:8008` },
    { id: `${id}-b`, url: `http://${id}-b:8008` },
  ],
  ...extra,
});
const fleet = (input: Partial<FleetConfigInput>) => FleetConfig.parse({ version: 1, stores: [], ...input });

describe('config changes', () => {
  it('against no config on the server, every store is added', () => {
    const c = configChanges(null, fleet({ stores: [store('a'), store('b')] }));
    expect(c).toEqual({ added: ['a', 'b'], changed: [], removed: [], fleet: [] });
  });

  it('the same config changes nothing', () => {
    const f = fleet({ stores: [store('a')] });
    expect(hasChanges(configChanges(f, fleet({ stores: [store('a')] })))).toBe(false);
  });

  it('names the store fields that changed, and settings a store inherits', () => {
    const before = fleet({ stores: [store('a'), store('b'), store('c')] });
    const after = fleet({
      stores: [store('a', { name: 'Renamed', failover: { mode: 'auto' } }), store('b'), store('d')],
      defaults: { intervalSeconds: 10 },
    });
    const c = configChanges(before, after);
    expect(c.added).toEqual(['d']);
    expect(c.removed).toEqual(['c']);
    expect(c.changed).toEqual([
      { id: 'a', fields: ['name', 'failover', 'intervalSeconds'] },
      { id: 'b', fields: ['intervalSeconds'] },
    ]);
    expect(c.fleet).toEqual(['defaults']);
  });

  it('a change no store sees (a dead-man URL) is still a change', () => {
    const before = fleet({ stores: [store('a')] });
    const c = configChanges(before, fleet({ stores: [store('a')], deadMan: { url: 'https://ping.example/x' } }));
    expect(c).toEqual({ added: [], changed: [], removed: [], fleet: ['deadMan'] });
    expect(hasChanges(c)).toBe(true);
  });
});
