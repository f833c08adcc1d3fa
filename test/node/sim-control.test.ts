import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionBody, type Harness, json, probe, sendAction, startHarness } from '#harness/sim-harness.ts';
import { controlClient } from '#sim/control-client.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stores: 3 });
});
afterAll(() => h.close());

describe('control API', () => {
  it('requires the bearer token on every route', async () => {
    const routes: Array<[string, string]> = [
      ['GET', '/control/state'],
      ['GET', '/control/stores/gz-tianhe'],
      ['POST', '/control/stores/gz-tianhe/faults'],
      ['GET', '/control/actions'],
      ['DELETE', '/control/actions'],
    ];
    for (const [method, path] of routes) {
      for (const authorization of [
        undefined,
        'Bearer wrong',
        'Bearer test-control-token-and-more',
        'test-control-token',
      ]) {
        const headers: Record<string, string> = authorization ? { authorization } : {};
        const body = method === 'POST' ? '{"fault":"crash"}' : undefined;
        const answer = await probe(`${h.server.url}${path}`, { method, headers, body });
        expect(answer, `${method} ${path} with ${authorization}`).toMatchObject({ kind: 'answer', status: 401 });
        expect(json(answer)).toMatchObject({ error: { code: 'unauthorized' } });
      }
    }
    expect((await h.control.store('gz-tianhe')).nodes.every((n) => !n.crashed)).toBe(true);
  });

  it('lists the fleet and each store, with the reports the model would give', async () => {
    const stores = await h.control.state();
    expect(stores.map((s) => s.id)).toEqual(h.specs.map((s) => s.id));
    const store = await h.control.store('sz-futian');
    expect(store).toMatchObject({
      name: 'Shenzhen Futian',
      region: 'South China',
      primary: 'sz-futian-a',
      wanCut: null,
    });
    expect(store.nodes[1]?.report?.replication?.state).toBe('streaming');
  });

  it('a client with the wrong token fails with a clear error', async () => {
    const wrong = controlClient(h.server.url, 'nope');
    await expect(wrong.state()).rejects.toThrow(/answered 401/);
  });

  it('unknown control routes answer 404', async () => {
    const answer = await probe(`${h.server.url}/control/nothing`, {
      headers: { authorization: 'Bearer test-control-token' },
    });
    expect(answer).toMatchObject({ kind: 'answer', status: 404 });
  });

  it('records actions, filters them and clears them', async () => {
    const next = (await h.control.store('gz-tianhe')).epoch + 1;
    const fence = actionBody({ action: 'fence', store: 'gz-tianhe', node: 'gz-tianhe-a', epoch: next });
    await sendAction(h.nodeUrl('gz-tianhe', 'gz-tianhe-a'), fence.raw, { key: fence.key });
    const promote = actionBody({ store: 'gz-tianhe', node: 'gz-tianhe-b', epoch: next });
    await sendAction(h.nodeUrl('gz-tianhe', 'gz-tianhe-b'), promote.raw, { key: promote.key });

    const all = await h.control.actions();
    expect(all.map((a) => [a.action, a.node, a.verdict.status])).toEqual([
      ['fence', 'gz-tianhe-a', 200],
      ['promote', 'gz-tianhe-b', 200],
    ]);
    expect(all[0]?.body).toBe(fence.raw);
    expect(all[0]?.headers['x-mirrorwatch-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(await h.control.actions({ action: 'promote' })).toHaveLength(1);
    expect(await h.control.actions({ node: 'gz-tianhe-a' })).toHaveLength(1);
    expect(await h.control.actions({ store: 'sz-futian' })).toHaveLength(0);
    expect(h.logs.some((l) => l.startsWith('action promote epoch=') && l.includes('-> 200 completed'))).toBe(true);

    await h.control.clearActions();
    expect(await h.control.actions()).toEqual([]);
  });
});
