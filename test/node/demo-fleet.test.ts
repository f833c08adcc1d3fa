import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_AGENT_UNAVAILABLE } from '#agent/job/primary-only.ts';
import { startHarness } from '#harness/sim-harness.ts';
import { FleetConfig } from '#shared/schemas/config.ts';
import { demoStoreSpecs, fleetConfigFor, makeDemoFleet } from '#sim/demo-fleet.ts';
import { DEMO_JOB, runDemoSlot, withDemoJob } from '#sim/demo-jobs.ts';
import { startHeartbeatRecorder } from '../support/heartbeat-recorder.ts';

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

describe('the demo’s primary-only job', () => {
  it('runs each slot on the primary only, and moves with a failover', async () => {
    const harness = await startHarness({ stores: 1 });
    const worker = await startHeartbeatRecorder();
    const lockRoot = await mkdtemp(join(tmpdir(), 'mirrorwatch-demo-jobs-test-'));
    try {
      const [spec] = harness.specs;
      if (!spec) throw new Error('no store');
      const config = FleetConfig.parse(withDemoJob(fleetConfigFor(harness.specs, harness.server.url), spec.id));
      expect(config.stores[0]?.jobs?.map((j) => j.id)).toEqual([DEMO_JOB.id]);
      const [a, b] = spec.nodes.map((n) => n.id);
      const slot = () =>
        runDemoSlot({
          worker: worker.url,
          simUrl: harness.server.url,
          store: spec.id,
          nodes: spec.nodes.map((n) => n.id),
          hookSecret: 'demo-hook-secret',
          command: [process.execPath, '-e', '0'],
          lockRoot,
          log: () => undefined,
        });
      expect(await slot()).toEqual({ [`${a}`]: 0, [`${b}`]: 0 });
      const byNode = () => worker.beats.map((x) => `${x.node ?? '-'} ${x.event}`).sort((p, q) => p.localeCompare(q));
      expect(byNode()).toEqual([`${a} start`, `${a} success`, `${b} skipped`]);

      worker.reset();
      await harness.control.inject(spec.id, 'crash');
      harness.sim.promote(spec.id, `${b}`, spec.epoch + 1); // what the monitor's failover does
      expect(await slot()).toEqual({ [`${a}`]: EXIT_AGENT_UNAVAILABLE, [`${b}`]: 0 });
      expect(byNode()).toEqual(['- skipped', `${b} start`, `${b} success`]);
    } finally {
      await rm(lockRoot, { recursive: true, force: true });
      await worker.close();
      await harness.close();
    }
  });
});
