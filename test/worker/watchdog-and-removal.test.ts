import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { fleetStub } from '#worker/fleet/stub.ts';
import worker from '#worker/index.ts';
import {
  actionsTo,
  client,
  fleetConfig,
  healthyStore,
  receiverUrl,
  simulatedMonitor,
  storeConfig,
  unique,
  watchedStore,
} from './support.ts';

describe('watchdog cron', () => {
  it('re-arms a monitor whose alarm went missing, and leaves armed ones alone', async () => {
    const [lost, fine] = [unique('st'), unique('st')];
    await Promise.all([healthyStore(lost), healthyStore(fine)]);
    const lostMonitor = await simulatedMonitor(lost);
    const fineMonitor = await simulatedMonitor(fine);
    const api = client();
    const deadMan = `${lost}-deadman`; // its ping says how many monitors the run re-armed
    await api.putConfig({
      ...fleetConfig([storeConfig(lost), storeConfig(fine)]),
      deadMan: { url: receiverUrl(deadMan) },
    });
    await lostMonitor.round(0);
    await fineMonitor.round(0);
    await runInDurableObject(lostMonitor.stub, (_m, state) => state.storage.deleteAlarm());

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), api.env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await runInDurableObject(lostMonitor.stub, (_m, state) => state.storage.getAlarm())).not.toBeNull();
    const [ping] = await actionsTo(deadMan);
    expect(JSON.parse(ping?.body ?? '{}')).toMatchObject({ stores: 2, rearmed: 1 });
  });
});

describe('removing a store', () => {
  it('stops its alarm, wipes its storage, and its routes answer 404', async () => {
    const [kept, removed] = [unique('st'), unique('st')];
    await Promise.all([healthyStore(kept), healthyStore(removed)]);
    const monitor = await simulatedMonitor(removed);
    const api = client();
    await api.putConfig(fleetConfig([storeConfig(kept), storeConfig(removed)]));
    await monitor.rounds(3);
    const res = await api.putConfig(fleetConfig([storeConfig(kept)]));
    expect(await res.json()).toMatchObject({ removed: [removed], added: [] });

    const after = await runInDurableObject(monitor.stub, async (_m, state) => ({
      alarm: await state.storage.getAlarm(),
      tables: state.storage.sql
        .exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf%'")
        .toArray(),
    }));
    expect(after).toEqual({ alarm: null, tables: [] });
    await runInDurableObject(monitor.stub, (m) => m.alarm()); // a late alarm finds nothing to watch and does not re-arm
    expect(await runInDurableObject(monitor.stub, (_m, state) => state.storage.getAlarm())).toBeNull();
    expect((await api.call(`/api/v1/stores/${removed}`, { token: 'viewer' })).status).toBe(404);
    expect((await api.call(`/api/v1/stores/${kept}`, { token: 'viewer' })).status).toBe(200);
  });
});

describe('a store added back while its removal is still queued', () => {
  it('is not removed by the next cron run', async () => {
    const id = unique('st');
    await healthyStore(id);
    const monitor = await simulatedMonitor(id);
    const api = client();
    // As if an earlier removal of this store had failed and been queued for the cron.
    await runInDurableObject(fleetStub(api.env), (_f, state) => {
      state.storage.sql.exec('INSERT INTO pending_removals (store_id) VALUES (?)', id);
    });
    await api.putConfig(fleetConfig([storeConfig(id)]));
    await monitor.rounds(3);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: '* * * * *' }), api.env, ctx);
    await waitOnExecutionContext(ctx);

    expect(await runInDurableObject(monitor.stub, (_m, state) => state.storage.getAlarm())).not.toBeNull();
    expect((await monitor.round())?.status).toBe('healthy');
  });
});

describe('a store removed and added back while its monitor is still warm', () => {
  it('starts afresh: the startup grace again, and no figures from before', async () => {
    const { id, monitor, api } = await watchedStore();
    expect((await monitor.stub.getStats()).rounds).toBeGreaterThan(0);
    await api.putConfig(fleetConfig([]));
    expect(await monitor.stub.status()).toBeNull();
    expect(await monitor.stub.getStats()).toEqual({ rounds: 0, probes: 0, rowsWritten: 0 });

    await api.putConfig(fleetConfig([storeConfig(id)]));
    const first = await monitor.round(0);
    expect(first?.status).toBe('unknown');
    expect(first?.reasons[0]).toMatch(/^starting: 1 of 3 probe rounds/);
    expect((await monitor.rounds(2))?.status).toBe('healthy');
  });
});
