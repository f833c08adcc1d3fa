import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '#worker/index.ts';
import { actionsTo, client, fleetConfig, healthyStore, receiverUrl, storeConfig, unique } from './support.ts';

async function cronRun(env: Env) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe('watching the watcher', () => {
  it('each cron run pings the dead-man URL with what it found', async () => {
    const id = unique('st');
    const receiver = `${id}-deadman`;
    await healthyStore(id);
    const api = client();
    await api.putConfig({ ...fleetConfig([storeConfig(id)]), deadMan: { url: receiverUrl(receiver) } });
    await cronRun(api.env);
    await cronRun(api.env);
    const pings = await actionsTo(receiver);
    expect(pings).toHaveLength(2);
    expect(JSON.parse(pings[0]?.body ?? '{}')).toMatchObject({ stores: 1 });
  });

  it('stops pinging once the deadMan is taken out of the config', async () => {
    const id = unique('st');
    const receiver = `${id}-deadman`;
    await healthyStore(id);
    const api = client();
    await api.putConfig({ ...fleetConfig([storeConfig(id)]), deadMan: { url: receiverUrl(receiver) } });
    await cronRun(api.env);
    expect(await actionsTo(receiver)).toHaveLength(1);
    expect((await api.putConfig(fleetConfig([storeConfig(id)]))).status).toBe(200);
    await cronRun(api.env);
    expect(await actionsTo(receiver)).toHaveLength(1);
  });
});
