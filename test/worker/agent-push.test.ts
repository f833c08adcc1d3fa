import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { signedHeaders } from '#shared/signature.ts';
import { type client, setAgent, standbyReport, watchedStore } from './support.ts';

async function push(
  api: ReturnType<typeof client>,
  storeId: string,
  report: unknown,
  secret = TEST_SECRETS.HOOK_SECRET,
) {
  const body = JSON.stringify(report);
  const headers = Object.fromEntries(Object.entries(await signedHeaders(secret, body, Date.now())));
  return api.call(`/hooks/v1/agent/${storeId}`, { method: 'POST', headers, body });
}

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

  it('refuses what it cannot place or trust, and changes nothing', async () => {
    const { id, api } = await watchedStore();
    const stranger: AgentReport = standbyReport('not-a-node', 1);
    const unknownNode = await push(api, id, stranger);
    expect(unknownNode.status).toBe(422);
    expect(((await unknownNode.json()) as { error: { message: string } }).error.message).toContain('not-a-node');
    expect((await push(api, 'no-such-store', standbyReport(`${id}-b`, 1))).status).toBe(404);
    expect((await push(api, id, { node: 'x', role: 'boss' })).status).toBe(422);
    expect((await push(api, id, standbyReport(`${id}-b`, 1), 'wrong-secret')).status).toBe(401);
  });
});
