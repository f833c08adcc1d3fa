import { describe, expect, it } from 'vitest';
import { FleetConfig } from '#shared/schemas/config.ts';
import { demoStoreSpecs, fleetConfigFor, makeDemoFleet } from '#sim/demo-fleet.ts';

const baseUrl = 'http://127.0.0.1:8700';

describe('makeDemoFleet', () => {
  it('produces 8 named stores across four Chinese regions, one manual, as a valid fleet config', () => {
    const { specs, config } = makeDemoFleet({ stores: 8, baseUrl });
    const fleet = FleetConfig.parse(config);
    expect(fleet.stores.map((s) => s.name)).toEqual([
      'Guangzhou Tianhe',
      'Shenzhen Futian',
      'Shanghai Xujiahui',
      'Hangzhou Wulin',
      'Beijing Wangfujing',
      'Chengdu Chunxi Road',
      'Chongqing Jiefangbei',
      'Kunming Nanping',
    ]);
    expect(new Set(fleet.stores.map((s) => s.region))).toEqual(
      new Set(['South China', 'East China', 'North China', 'Southwest']),
    );
    expect(fleet.stores.filter((s) => s.failover?.mode === 'manual').map((s) => s.id)).toEqual(['bj-wangfujing']);
    expect(fleet.stores.every((s) => s.timezone === 'Asia/Shanghai')).toBe(true);
    expect(specs).toHaveLength(8);
  });

  it('lays URLs out under one base: nodes, arbiter and active endpoint per store', () => {
    const { config } = makeDemoFleet({ stores: 1, baseUrl: `${baseUrl}/` });
    const store = config.stores[0];
    expect(store?.activeEndpoint).toBe(`${baseUrl}/stores/gz-tianhe/active`);
    expect(store?.arbiter?.url).toBe(`${baseUrl}/stores/gz-tianhe/arbiter`);
    expect(store?.nodes.map((n) => n.url)).toEqual([
      `${baseUrl}/stores/gz-tianhe/nodes/gz-tianhe-a`,
      `${baseUrl}/stores/gz-tianhe/nodes/gz-tianhe-b`,
    ]);
  });

  it('scales to 1,000 unique stores that still validate, with exactly one manual store', () => {
    const specs = demoStoreSpecs({ stores: 1000 });
    const fleet = FleetConfig.parse(fleetConfigFor(specs, baseUrl));
    expect(fleet.stores).toHaveLength(1000);
    expect(new Set(fleet.stores.map((s) => s.id)).size).toBe(1000);
    expect(fleet.stores.filter((s) => s.failover?.mode === 'manual')).toHaveLength(1);
    expect(fleet.stores.some((s) => s.arbiter === undefined)).toBe(true);
    expect(fleet.stores.some((s) => s.nodes.some((n) => n.priority === 0))).toBe(true);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(demoStoreSpecs({ stores: 20, seed: 7 })).toEqual(demoStoreSpecs({ stores: 20, seed: 7 }));
    expect(demoStoreSpecs({ stores: 20, seed: 7 })).not.toEqual(demoStoreSpecs({ stores: 20, seed: 8 }));
  });

  it('refuses a store count out of range', () => {
    expect(() => demoStoreSpecs({ stores: 0 })).toThrow(/1\.\.5000/);
    expect(() => demoStoreSpecs({ stores: 5001 })).toThrow(/1\.\.5000/);
  });
});
