import { describe, expect, it } from 'vitest';
import {
  actionsTo,
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

describe('the store epoch after first contact', () => {
  it('a cluster rebuilt at lower epochs is an epoch regression: nothing is fenced, and adopting re-baselines', async () => {
    const id = unique('st');
    await healthyStore(id, 3);
    const monitor = await simulatedMonitor(id);
    expect((await client().putConfig(fleetConfig([storeConfig(id)]))).status).toBe(200);
    await monitor.round(0);
    expect(await monitor.rounds(3)).toMatchObject({ status: 'healthy', epoch: 3 }); // adopted at first contact

    // As if the simulator restarted with fresh epochs: every node reports below the store's epoch.
    await healthyStore(id, 1);
    const rebuilt = await monitor.rounds(3);
    expect(rebuilt).toMatchObject({ primary: `${id}-a`, epoch: 3, status: 'degraded' });
    expect(rebuilt?.reasons.some((r) => r.startsWith('epoch regression: every node reports an epoch below'))).toBe(
      true,
    );
    expect(rebuilt?.nodes.map((n) => n.needsReinstatement)).toEqual([false, false]);
    expect(await actionsTo(`${id}-a`)).toEqual([]); // the only primary of a healthy store is not fenced

    const refused = await monitor.stub.adoptEpoch({ epoch: 2, by: 'operator:alice', reason: 'typo' });
    expect(refused).toEqual({ ok: false, reasons: [expect.stringContaining('no node reports epoch 2')] });
    const adopted = await monitor.stub.adoptEpoch({ epoch: 1, by: 'operator:alice', reason: 'rebuilt on Monday' });
    expect(adopted).toEqual({ ok: true, epoch: 1 });
    expect(await monitor.round()).toMatchObject({ status: 'healthy', epoch: 1 });
    const { events } = await monitor.stub.events({ limit: 50, types: null, since: null, until: null, cursor: null });
    expect(events.some((e) => e.message.includes('epoch 1 adopted by operator:alice (was 3): rebuilt on Monday'))).toBe(
      true,
    );
  });

  it('a node reporting an epoch the monitor never issued is shown, not adopted, until an operator adopts it', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 9) });
    const status = await monitor.rounds(2);
    expect(status).toMatchObject({ epoch: 1, primary: `${id}-a`, status: 'degraded' });
    expect(status?.reasons).toContain(`node ${id}-b reports epoch 9, which mirrorwatch never issued`);
    expect(await actionsTo(`${id}-a`)).toEqual([]); // a higher epoch elsewhere is no reason to fence the primary

    const below = await monitor.stub.adoptEpoch({ epoch: 0, by: 'operator:bob', reason: 'x' });
    expect(below.ok).toBe(false);
    expect(await monitor.stub.adoptEpoch({ epoch: 9, by: 'operator:bob', reason: 'b was rebuilt at 9' })).toEqual({
      ok: true,
      epoch: 9,
    });
    const after = await monitor.round();
    expect(after?.epoch).toBe(9);
    // Now the primary at epoch 1 is the stale one.
    expect(after?.nodes[0]).toMatchObject({ id: `${id}-a`, needsReinstatement: true });
  });
});
