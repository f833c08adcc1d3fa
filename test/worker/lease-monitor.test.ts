/**
 * Contract section 6 on the monitor's side, against stand-in agents on a simulated clock: which
 * probes and push answers carry a lease, how it is signed, the config rule, and the promote gate.
 */
import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { deriveKey } from '#shared/keys.ts';
import { DRIFT_STRETCH, renewalWaitMs } from '#shared/lease/drift.ts';
import { hmacHex } from '#shared/signature.ts';
import {
  actionsTo,
  arbiterReport,
  client,
  fleetConfig,
  primaryReport,
  probesTo,
  setAgent,
  standbyReport,
  storeConfig,
  unique,
  watchedStore,
} from './support.ts';

const LEASE = 'x-mirrorwatch-lease';

async function expectedSignature(store: string, node: string, timestamp: string, epoch: number, seconds: number) {
  const key = await deriveKey(TEST_SECRETS.WEBHOOK_SECRET.split(',')[0] ?? '', store, node);
  return `v1=${await hmacHex(key, `${timestamp}.lease.${store}.${node}.${epoch}.${seconds}`)}`;
}

const last = async (name: string) => (await probesTo(name)).at(-1);

/** The edge and the arbiter lose the primary, whose actions go unanswered too (503). */
function wanCut(id: string) {
  return Promise.all([
    setAgent(`${id}-a`, { mode: 'hang', actionStatus: 503 }),
    setAgent(`${id}-vip`, { mode: 'http500' }),
    setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: false, [`${id}-b`]: true }, 1) }),
  ]);
}

/** The edge, the standby and the arbiter all lose the primary. */
async function cutOffPrimary(id: string, standbyAge: number | null) {
  await Promise.all([wanCut(id), lostStandby(id, standbyAge)]);
}

function lostStandby(id: string, age: number | null) {
  const replication = {
    state: 'disconnected' as const,
    primaryReachable: false,
    lagSeconds: null,
    ...(age === null ? {} : { primaryContactAgeSeconds: age }),
  };
  return setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 1, replication) });
}

const promotesTo = async (node: string) =>
  (await actionsTo(node))
    .map((p) => JSON.parse(p.body) as { action: string; issuedAt: string })
    .filter((a) => a.action === 'promote');

describe('leases on probes', () => {
  it('go to the serving primary only, signed with its own key over the store, node, epoch and length', async () => {
    const { id, monitor } = await watchedStore(); // threshold 30 s: the lease is 15 s
    await monitor.round();
    const probe = await last(`${id}-a`);
    expect(probe?.[LEASE]).toBe('epoch=1; seconds=15');
    const timestamp = probe?.['x-mirrorwatch-timestamp'] ?? '';
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(probe?.['x-mirrorwatch-signature']).toBe(await expectedSignature(id, `${id}-a`, timestamp, 1, 15));
    // Not the node's key under another store or node name: the signature names both.
    expect(probe?.['x-mirrorwatch-signature']).not.toBe(await expectedSignature(id, `${id}-b`, timestamp, 1, 15));
    for (const other of [`${id}-b`, `${id}-vip`, `${id}-arb`]) {
      expect((await probesTo(other)).some((h) => LEASE in h)).toBe(false);
    }
  });

  it('stop after a failed probe until the primary answers again, then resume', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-a`, { mode: 'http500' });
    await monitor.round(); // fails (this probe still carried the lease: the last round showed it serving)
    await monitor.round(1000); // the retry: no lease
    expect((await last(`${id}-a`))?.[LEASE]).toBeUndefined();
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) });
    await monitor.round(); // answers again, but the last round showed it failing: still none
    expect((await last(`${id}-a`))?.[LEASE]).toBeUndefined();
    const probes = (await probesTo(`${id}-a`)).length;
    await monitor.round();
    expect((await probesTo(`${id}-a`)).length).toBe(probes + 1);
    expect((await last(`${id}-a`))?.[LEASE]).toBe('epoch=1; seconds=15');
  });

  it('are never sent with selfFence: false, and the status says self-fencing is off', async () => {
    const { id, monitor } = await watchedStore({ store: { failover: { selfFence: false } } });
    const status = await monitor.rounds(2);
    expect((await probesTo(`${id}-a`)).some((h) => LEASE in h)).toBe(false);
    expect(status?.status).toBe('healthy');
    expect(status?.reasons.some((r) => r.startsWith('self-fencing is off for this store'))).toBe(true);
  });

  it('are not sent during a switchover away from the primary, though it still answers', async () => {
    const { id, monitor, api } = await watchedStore();
    const before = (await probesTo(`${id}-a`)).length;
    const res = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'planned switchover' }),
    });
    expect(res.status).toBe(202);
    await monitor.rounds(3, 1000); // fenced (stand-ins accept), promoting: b has not reported primary yet
    const during = (await probesTo(`${id}-a`)).slice(before);
    expect(during.length).toBeGreaterThan(0);
    expect(during.some((h) => LEASE in h)).toBe(false);
  });

  it('lift a self-fence: a primary that fenced itself still gets its lease, and the status and an alert say so', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-a`, {
      mode: 'report',
      report: primaryReport(`${id}-a`, 1, { fenced: true, selfFenced: true }),
    });
    const status = await monitor.round();
    expect(status?.nodes.find((n) => n.id === `${id}-a`)).toMatchObject({ selfFenced: true });
    expect(status?.nodes.find((n) => n.id === `${id}-a`)?.needsReinstatement).toBe(false);
    expect(status?.reasons).toContain(`${id}-a fenced itself: no lease and no standby for 15 s`);
    await monitor.round();
    expect((await last(`${id}-a`))?.[LEASE]).toBe('epoch=1; seconds=15');
    const { events } = await monitor.stub.events({ limit: 50, types: null, since: null, until: null, cursor: null });
    expect(
      events.some((e) => e.message.startsWith('opened: WARNING') && e.message.includes(`${id}-a fenced itself`)),
    ).toBe(true);
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) });
    await monitor.rounds(15); // lifted, and clear for longer than the flap window
    const after = await monitor.stub.events({ limit: 100, types: null, since: null, until: null, cursor: null });
    expect(
      after.events.some(
        (e) => e.message.startsWith('resolved: WARNING') && e.message.includes(`${id}-a fenced itself`),
      ),
    ).toBe(true);
  });
});

describe('leases in push answers', () => {
  it('answer the serving primary with the signed lease, and nobody else', async () => {
    const { id, monitor } = await watchedStore();
    const answer = await monitor.stub.pushReport(primaryReport(`${id}-a`, 1), `${id}-a`);
    if (!answer.accepted || !answer.lease) throw new Error(`expected a lease, got ${JSON.stringify(answer)}`);
    const { lease } = answer;
    expect(lease).toMatchObject({ epoch: 1, seconds: 15 });
    expect(lease.signature).toBe(await expectedSignature(id, `${id}-a`, String(lease.timestamp), 1, 15));
    expect(await monitor.stub.pushReport(standbyReport(`${id}-b`, 1), `${id}-b`)).toEqual({ accepted: true });
  });
});

describe('the lease rule in PUT /api/v1/config', () => {
  it('is 422 with the path where the lease or threshold was written, and changes nothing', async () => {
    const api = client();
    const id = unique('st');
    const perStore = await api.putConfig(fleetConfig([storeConfig(id, { failover: { thresholdSeconds: 10 } })]));
    expect(perStore.status).toBe(422);
    const body = (await perStore.json()) as { error: { details: Array<{ path: string; message: string }> } };
    expect(body.error.details.map((d) => d.path)).toEqual(['stores[0].failover.leaseSeconds']);
    const defaults = await api.putConfig(fleetConfig([storeConfig(id)], { failover: { leaseSeconds: 25 } }));
    expect(defaults.status).toBe(422);
    const details = ((await defaults.json()) as typeof body).error.details;
    expect(details.map((d) => d.path)).toEqual(['defaults.failover.leaseSeconds']);
    // The contract's rule has no condition: turning self-fencing off does not exempt a store from it.
    const off = { failover: { thresholdSeconds: 10, selfFence: false } };
    const selfFenceOff = await api.putConfig(fleetConfig([storeConfig(id, off)]));
    expect(selfFenceOff.status).toBe(422);
    const offDetails = ((await selfFenceOff.json()) as typeof body).error.details;
    expect(offDetails.map((d) => d.path)).toEqual(['stores[0].failover.leaseSeconds']);
    expect((await api.call('/api/v1/config', { token: 'admin' })).status).toBe(404);
  });
});

describe('the promote gate', () => {
  it('holds the promote until the last lease and the standby’s replies have run out, then promotes', async () => {
    const failover = { mode: 'auto', thresholdSeconds: 10, leaseSeconds: 2, promoteTimeoutSeconds: 5 };
    const { id, monitor } = await watchedStore({ store: { failover } });
    const lastLeaseAt = monitor.now(); // this round's probe of the primary carried a lease and was answered
    expect((await last(`${id}-a`))?.[LEASE]).toBe('epoch=1; seconds=2');
    const wait = renewalWaitMs(2, 300);
    // The WAN link goes first: the standby streams on past the threshold, then loses the primary too.
    await wanCut(id);
    await monitor.rounds(12, 1000);
    expect(await promotesTo(`${id}-b`)).toEqual([]);
    const standbyLostAt = monitor.now();
    let promotedAt: number | null = null;
    let contactEnd = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 30 && promotedAt === null; i++) {
      const age = (monitor.now() + 1000 - standbyLostAt) / 1000;
      await lostStandby(id, age);
      await monitor.round(1000);
      contactEnd = Math.min(contactEnd, Math.ceil(monitor.now() - (age * 1000) / DRIFT_STRETCH));
      const promotes = await promotesTo(`${id}-b`);
      if (promotes[0]) promotedAt = Date.parse(promotes[0].issuedAt);
    }
    expect(promotedAt).not.toBeNull();
    expect(promotedAt).toBeGreaterThanOrEqual(lastLeaseAt + wait);
    expect(promotedAt).toBeGreaterThanOrEqual(contactEnd + wait);
    const { events } = await monitor.stub.events({
      limit: 200,
      types: ['failover'],
      since: null,
      until: null,
      cursor: null,
    });
    expect(events.some((e) => e.message.startsWith('promote of') && e.message.includes('held until'))).toBe(true);
  });

  it('after a restart mid-loss, waits as if a lease had just been sent', async () => {
    // The loss clock restarts with the monitor; an operator's request right after the restart is not
    // held by it, so only the restart time, taken as the last lease, keeps the promote back.
    const failover = { mode: 'manual', thresholdSeconds: 10, leaseSeconds: 6, promoteTimeoutSeconds: 5 };
    const { id, monitor, api } = await watchedStore({ store: { failover }, defaults: { intervalSeconds: 1 } });
    // Cut off from everyone; the standby says it lost the primary long ago, so only the lease counts.
    await cutOffPrimary(id, 600);
    await monitor.rounds(4, 1000);
    await evictDurableObject(monitor.stub); // the lease times held in memory are gone
    await monitor.attach();
    const restartedAt = monitor.now() + 1000; // the new instance's first clock reading: its next round
    await monitor.rounds(4, 1000); // the startup grace
    const res = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'the primary is gone', allowDataLoss: true }),
    });
    expect(res.status).toBe(202);
    let promotedAt: number | null = null;
    for (let i = 0; i < 30 && promotedAt === null; i++) {
      await monitor.round(1000);
      const promotes = await promotesTo(`${id}-b`);
      if (promotes[0]) promotedAt = Date.parse(promotes[0].issuedAt);
    }
    expect(promotedAt).not.toBeNull();
    expect(promotedAt).toBeGreaterThanOrEqual(restartedAt + renewalWaitMs(6, 300));
  });

  it('never promotes while a standby it cannot hear from may still be streaming from the old primary', async () => {
    const failover = { mode: 'auto', thresholdSeconds: 10, leaseSeconds: 2, promoteTimeoutSeconds: 5 };
    const id = unique('st');
    const { monitor } = await watchedThreeNodes(id, failover);
    await setAgent(`${id}-c`, { mode: 'hang' }); // never heard from again
    await cutOffPrimary(id, 30);
    await monitor.rounds(45, 1000);
    expect(await promotesTo(`${id}-b`)).toEqual([]);
    const failovers = await monitor.stub.failovers();
    expect(failovers[0]).toMatchObject({ state: 'failed' });
    expect(failovers[0]?.error).toMatch(/promote gate never opened \(waiting for a report from \S+-c /);
  });
});

async function watchedThreeNodes(id: string, failover: Record<string, unknown>) {
  const { healthyStore, simulatedMonitor, agentUrl } = await import('./support.ts');
  await healthyStore(id);
  await setAgent(`${id}-c`, { mode: 'report', report: standbyReport(`${id}-c`, 1) });
  const monitor = await simulatedMonitor(id);
  const api = client();
  const nodes = [
    { id: `${id}-a`, url: agentUrl(`${id}-a`), priority: 100 },
    { id: `${id}-b`, url: agentUrl(`${id}-b`), priority: 50 },
    { id: `${id}-c`, url: agentUrl(`${id}-c`), priority: 10 },
  ];
  expect((await api.putConfig(fleetConfig([storeConfig(id, { nodes, failover })]))).status).toBe(200);
  await monitor.round(0);
  expect((await monitor.rounds(3))?.status).toBe('healthy');
  return { monitor };
}
