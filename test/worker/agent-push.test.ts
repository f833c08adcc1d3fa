import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { deriveKey } from '#shared/keys.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { signPayload } from '#shared/signature.ts';
import { arbiterReport, client, hookHeaders, setAgent, standbyReport, watchedStore } from './support.ts';

type Api = ReturnType<typeof client>;

async function push(api: Api, storeId: string, report: unknown, options: { principal?: string; master?: string } = {}) {
  const body = JSON.stringify(report);
  const principal = options.principal ?? (report as { node: string }).node;
  const headers = await hookHeaders(storeId, principal, body, options.master ? { master: options.master } : {});
  return api.call(`/hooks/v1/agent/${storeId}`, { method: 'POST', headers, body });
}

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe('push mode: POST /hooks/v1/agent/:storeId', () => {
  it('a standby the edge cannot reach is still seen through its pushed reports', async () => {
    const { id, monitor, api } = await watchedStore();
    await setAgent(`${id}-b`, { mode: 'hang' });
    expect((await push(api, id, standbyReport(`${id}-b`, 1, { lagSeconds: 0.7 }))).status).toBe(202);
    const status = await monitor.rounds(3);
    expect(status?.nodes[1]).toMatchObject({ id: `${id}-b`, reachable: false, role: 'standby', lagSeconds: 0.7 });
    expect(status?.lagSeconds).toBe(0.7);
    expect(status?.reasons.some((r) => r.startsWith(`standby ${id}-b unreachable`))).toBe(false);
  });

  it('with the WAN down, pushes say the store is up but cut off, and nothing fails over', async () => {
    const { id, monitor, api } = await watchedStore();
    for (const agent of ['a', 'b', 'vip', 'arb']) await setAgent(`${id}-${agent}`, { mode: 'hang' });
    await push(api, id, standbyReport(`${id}-b`, 1));
    await monitor.round();
    const status = await monitor.round(1000);
    expect(status?.status).toBe('store_unreachable');
    expect(status?.reasons[0]).toMatch(/agents still push reports: WAN link down/);
  });

  it('a pushed standby report is the standby view when the primary is lost', async () => {
    const { id, monitor, api } = await watchedStore();
    await setAgent(`${id}-a`, { mode: 'http500' });
    await setAgent(`${id}-vip`, { mode: 'http500' });
    await setAgent(`${id}-b`, { mode: 'hang' });
    await push(api, id, standbyReport(`${id}-b`, 1, { state: 'disconnected', primaryReachable: false }));
    await monitor.round();
    const status = await monitor.round(1000);
    expect(status?.status).toBe('primary_down');
    expect(status?.reasons).toContain('the standby has lost the primary too');
  });

  it('the arbiter pushes with its own key', async () => {
    const { id, api } = await watchedStore();
    const report = arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: true }, 1);
    expect((await push(api, id, report, { principal: 'arbiter' })).status).toBe(202);
  });

  it('refuses what it cannot place or trust, and changes nothing', async () => {
    const { id, api } = await watchedStore();
    const stranger: AgentReport = standbyReport('not-a-node', 1);
    expect((await push(api, id, stranger)).status).toBe(401); // no such principal in the store
    expect((await push(api, 'no-such-store', standbyReport(`${id}-b`, 1))).status).toBe(404);
    expect((await push(api, id, { node: `${id}-b`, role: 'boss' })).status).toBe(422);
    expect((await push(api, id, standbyReport(`${id}-b`, 1), { master: 'wrong-secret' })).status).toBe(401);
  });
});

describe('push mode: a key speaks only for its own store and node', () => {
  it("a report signed with another store's key for the same node id is 401", async () => {
    const { id, api } = await watchedStore();
    const other = await watchedStore();
    const body = JSON.stringify(standbyReport(`${id}-b`, 1));
    // Signed with the key of store `other` (whose host holds it), sent as store `id`.
    const headers = await hookHeaders(other.id, `${id}-b`, body);
    const res = await api.call(`/hooks/v1/agent/${id}`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(await code(res)).toBe('signature_mismatch');
  });

  it("a node's key cannot push a report of the other node, nor one of the arbiter", async () => {
    const { id, monitor, api } = await watchedStore();
    const forged = await push(api, id, standbyReport(`${id}-b`, 1, { state: 'disconnected' }), {
      principal: `${id}-a`,
    });
    expect(forged.status).toBe(401);
    expect(await code(forged)).toBe('signature_wrong_principal');
    const fakeArbiter = await push(api, id, arbiterReport({ [`${id}-a`]: false }, 1), { principal: `${id}-a` });
    expect(fakeArbiter.status).toBe(401);
    expect((await monitor.round())?.status).toBe('healthy');
  });

  it('the failover hook key and a job key cannot push reports', async () => {
    const { id, api } = await watchedStore();
    for (const principal of ['hook', 'job:sync']) {
      const res = await push(api, id, standbyReport(`${id}-b`, 1), { principal });
      expect(res.status, principal).toBe(401);
    }
  });

  it('a missing or malformed principal header is 401', async () => {
    const { id, api } = await watchedStore();
    const body = JSON.stringify(standbyReport(`${id}-b`, 1));
    const signed = await hookHeaders(id, `${id}-b`, body);
    const { 'X-Mirrorwatch-Principal': _dropped, ...unnamed } = signed;
    const none = await api.call(`/hooks/v1/agent/${id}`, { method: 'POST', headers: unnamed, body });
    expect(none.status).toBe(401);
    expect(await code(none)).toBe('signature_missing_principal');
    const bad = { ...signed, 'X-Mirrorwatch-Principal': 'Node B!' };
    const malformed = await api.call(`/hooks/v1/agent/${id}`, { method: 'POST', headers: bad, body });
    expect(malformed.status).toBe(401);
    expect(await code(malformed)).toBe('signature_unknown_principal');
  });

  it('a request is accepted once: a replay is 401, also with the other signature of a rotated master', async () => {
    const rotated = `new-hook-master,${TEST_SECRETS.HOOK_SECRET}`;
    const { id, api: watching } = await watchedStore();
    const api = client(watching.fleet, { HOOK_SECRET: rotated });
    const body = JSON.stringify(standbyReport(`${id}-b`, 1));
    const ts = Math.floor(Date.now() / 1000);
    const sigNew = await signPayload(await deriveKey('new-hook-master', id, `${id}-b`), ts, body);
    const sigOld = await signPayload(await deriveKey(TEST_SECRETS.HOOK_SECRET, id, `${id}-b`), ts, body);
    const send = (signature: string) =>
      api.call(`/hooks/v1/agent/${id}`, {
        method: 'POST',
        body,
        headers: {
          'X-Mirrorwatch-Timestamp': String(ts),
          'X-Mirrorwatch-Signature': signature,
          'X-Mirrorwatch-Principal': `${id}-b`,
        },
      });
    expect((await send(`${sigNew},${sigOld}`)).status).toBe(202);
    const replayOld = await send(sigOld);
    expect(replayOld.status).toBe(401);
    expect(await code(replayOld)).toBe('signature_replayed');
    expect((await send(sigNew)).status).toBe(401);
  });

  it('a stale signature is 401', async () => {
    const { id, api } = await watchedStore();
    const body = JSON.stringify(standbyReport(`${id}-b`, 1));
    const headers = await hookHeaders(id, `${id}-b`, body, { nowMs: Date.now() - 301_000 });
    const res = await api.call(`/hooks/v1/agent/${id}`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(await code(res)).toBe('signature_stale');
  });
});
