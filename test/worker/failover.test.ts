import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { controlClient } from '#sim/control-client.ts';
import {
  alertReceiver,
  client,
  fleetConfig,
  healthyStore,
  hookHeaders,
  primaryReport,
  setAgent,
  simulatedMonitor,
  standbyReport,
  storeConfig,
  unique,
} from './support.ts';

const sim = inject('sim');
const control = controlClient(sim.url, sim.controlToken);

/** Each test owns one simulated store (and so one monitor object): `fo-01` … `fo-20` (`fo-21` and up belong to other files). */
function simStore(n: number, failover: Record<string, unknown>) {
  const id = `fo-${String(n).padStart(2, '0')}`;
  const base = `${sim.url}/stores/${id}`;
  return {
    id,
    config: {
      id,
      name: `Failover store ${n}`,
      activeEndpoint: `${base}/active`,
      arbiter: { url: `${base}/arbiter` },
      nodes: [
        { id: `${id}-a`, url: `${base}/nodes/${id}-a`, priority: 100 },
        { id: `${id}-b`, url: `${base}/nodes/${id}-b`, priority: 50 },
      ],
      // The simulator runs on real time while these monitors run on a simulated clock, so the standby's
      // contact ages mean nothing here: leases and the promote gate are tested in lease-*.test.ts.
      // The lease rule holds with self-fencing off too: 1 s + the 5 s interval + 0.3 s stays under 7 s.
      failover: { thresholdSeconds: 7, leaseSeconds: 1, selfFence: false, ...failover },
    },
  };
}

async function watchedSimStore(n: number, failover: Record<string, unknown>, fleetExtra: Record<string, unknown> = {}) {
  const { id, config } = simStore(n, failover);
  const monitor = await simulatedMonitor(id);
  const api = client();
  expect((await api.putConfig({ ...fleetConfig([config]), ...fleetExtra })).status).toBe(200);
  await monitor.round(0);
  expect((await monitor.rounds(3))?.status).toBe('healthy');
  return { id, monitor, api };
}

type Monitor = Awaited<ReturnType<typeof simulatedMonitor>>;

/** Runs one-second rounds until the status is one of `wanted` (at most `max` rounds). */
async function roundsUntil(monitor: Monitor, wanted: string[], max = 30) {
  for (let i = 0; i < max; i++) {
    const status = await monitor.round(1000);
    if (status && wanted.includes(status.status)) return status;
  }
  return monitor.stub.status();
}

describe('automatic failover', () => {
  it('promotes the standby exactly once, signed, with the idempotency key, and completes at the new epoch', async () => {
    const { id, monitor, api } = await watchedSimStore(1, { mode: 'auto' });
    await control.inject(id, 'crash');
    await monitor.round(); // the crash is seen at the next scheduled round
    const done = await roundsUntil(monitor, ['healthy', 'degraded']);

    // Serving again on the promoted standby; degraded while the old primary is gone.
    expect(done).toMatchObject({ status: 'degraded', primary: `${id}-b`, epoch: 2 });
    expect(done?.reasons.some((r) => r.startsWith(`standby ${id}-a unreachable`))).toBe(true);
    expect(done?.lastFailover).toMatchObject({
      epoch: 2,
      from: `${id}-a`,
      to: `${id}-b`,
      mode: 'auto',
      requestedBy: 'auto',
      state: 'completed',
      dataLossAllowed: false,
    });
    const promotes = await control.actions({ store: id, action: 'promote' });
    expect(promotes).toHaveLength(1);
    expect(promotes[0]?.verdict).toMatchObject({ signatureValid: true, applied: true });
    expect(promotes[0]?.headers['idempotency-key']).toBe(`${id}:2:promote:${id}-b`);

    const listed = (await (await api.call(`/api/v1/stores/${id}/failovers`, { token: 'viewer' })).json()) as {
      failovers: Array<Record<string, unknown>>;
    };
    expect(listed.failovers).toHaveLength(1);
    expect(listed.failovers[0]).toMatchObject({ state: 'completed', completedAt: expect.any(String) });
    expect(typeof listed.failovers[0]?.lagSecondsAtDecision).toBe('number');
  });

  it('alerts the outage once and sends the outcome of the failover as a notice', async () => {
    const { alerts, received } = alertReceiver(unique('fo-alerts'), {
      routes: [{ channels: ['ops'], minSeverity: 'info' }],
    });
    const { id, monitor } = await watchedSimStore(20, { mode: 'auto' }, { alerts });
    await control.inject(id, 'crash');
    await monitor.round();
    await roundsUntil(monitor, ['healthy', 'degraded']);
    await monitor.rounds(3, 1000);
    const sent = (await received()).map((r) => r.message);
    expect(sent.filter((m) => m.condition === 'outage').map((m) => m.kind)).toEqual(['open']);
    expect(sent).toContainEqual(
      expect.objectContaining({ kind: 'notice', condition: expect.stringMatching(/^failover:/), severity: 'info' }),
    );
    expect(sent.filter((m) => m.kind === 'notice')).toHaveLength(1);
  });

  it('never fails over a store cut off from the edge, however long', async () => {
    const { id, monitor } = await watchedSimStore(2, { mode: 'auto' });
    await control.inject(id, 'wan-cut');
    await monitor.round();
    const status = await monitor.rounds(60, 1000);
    expect(status?.status).toBe('store_unreachable');
    expect(await control.actions({ store: id })).toEqual([]);
    expect(await monitor.stub.failovers(10)).toEqual([]);
  });

  it('a monitor evicted mid-failover resumes it and never promotes twice', async () => {
    const { id, monitor } = await watchedSimStore(3, { mode: 'auto' });
    await control.inject(id, 'crash');
    await monitor.round();
    const failing = await roundsUntil(monitor, ['failing_over']);
    expect(failing?.status).toBe('failing_over');

    await evictDurableObject(monitor.stub);
    await monitor.attach();
    const done = await roundsUntil(monitor, ['healthy', 'degraded']);
    expect(done).toMatchObject({ status: 'degraded', primary: `${id}-b`, epoch: 2 });
    expect(done?.lastFailover?.state).toBe('completed');
    const promotes = await control.actions({ store: id, action: 'promote' });
    expect(promotes.filter((a) => a.verdict.applied)).toHaveLength(1);
    expect(new Set(promotes.map((a) => a.headers['idempotency-key']))).toEqual(new Set([`${id}:2:promote:${id}-b`]));
  });
});

describe('manual mode and operator requests', () => {
  it('waits for a confirmation, and an operator confirm completes the failover', async () => {
    const { id, monitor, api } = await watchedSimStore(4, { mode: 'manual' });
    await control.inject(id, 'crash');
    await monitor.round();
    const waiting = await roundsUntil(monitor, ['awaiting_confirm']);
    expect(waiting?.status).toBe('awaiting_confirm');
    // The deadline as data (the popup's countdown), matching the time its reason gives.
    const until = /until (\S+)\)/.exec(waiting?.reasons[0] ?? '')?.[1];
    expect(waiting?.confirmBy).toBe(until);
    expect(await control.actions({ store: id, action: 'promote' })).toEqual([]);

    const viewer = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'viewer',
      body: JSON.stringify({ reason: 'primary crashed' }),
    });
    expect(viewer.status).toBe(403);

    const confirm = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'primary crashed, confirmed by store IT' }),
    });
    expect(confirm.status).toBe(202);
    const { failover } = (await confirm.json()) as { failover: Record<string, unknown> };
    expect(failover).toMatchObject({ mode: 'manual', requestedBy: 'operator:operator', to: `${id}-b` });

    const done = await roundsUntil(monitor, ['healthy', 'degraded']);
    expect(done).toMatchObject({ status: 'degraded', primary: `${id}-b`, epoch: 2 });
    expect(done?.lastFailover?.state).toBe('completed');
  });

  it('lag over the limit is refused with the figures, and allowDataLoss fails over and is recorded', async () => {
    const { id, monitor, api } = await watchedSimStore(5, { mode: 'auto' });
    await control.inject(id, 'lag', { seconds: 45, node: `${id}-b` });
    await monitor.rounds(2);
    await control.inject(id, 'crash');
    await monitor.round();
    await monitor.rounds(10, 1000);
    expect((await monitor.stub.status())?.status).toBe('primary_down');
    expect(await control.actions({ store: id, action: 'promote' })).toEqual([]);

    const ask = (allowDataLoss: boolean) =>
      api.call(`/api/v1/stores/${id}/failover`, {
        method: 'POST',
        token: 'operator',
        body: JSON.stringify({ reason: 'primary dead', allowDataLoss }),
      });
    const refused = await ask(false);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('failover_refused');
    expect(body.error.message).toMatch(/lag 45(\.\d+)? s exceeds the 30 s limit/);

    const forced = await ask(true);
    expect(forced.status).toBe(202);
    expect(((await forced.json()) as { failover: { dataLossAllowed: boolean } }).failover.dataLossAllowed).toBe(true);
    const done = await roundsUntil(monitor, ['healthy', 'degraded']);
    expect(done?.lastFailover).toMatchObject({ state: 'completed', dataLossAllowed: true });
  });

  it('split brain is reported and nothing is promoted, even on request', async () => {
    const id = unique('st');
    await Promise.all([
      setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) }),
      setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 1) }),
      setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-a`, 1) }),
      setAgent(`${id}-arb`, { mode: 'report', report: standbyReport('arb', 1) }),
    ]);
    const monitor = await simulatedMonitor(id);
    const api = client();
    await api.putConfig(fleetConfig([storeConfig(id, { failover: { mode: 'auto' } })]));
    await monitor.round(0);
    expect((await monitor.rounds(4))?.status).toBe('split_brain');
    const res = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'pick one', target: `${id}-b`, allowDataLoss: true }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/split brain/);
    expect(await monitor.stub.failovers(10)).toEqual([]);
  });
});

describe('signed failover hook', () => {
  async function signedPost(body: string, nowMs = Date.now(), principal = 'hook') {
    const api = client();
    const store = (JSON.parse(body) as { store: string }).store;
    const headers = await hookHeaders(store, principal, body, { nowMs });
    return { api, send: () => api.call('/hooks/v1/failover', { method: 'POST', headers, body }) };
  }

  it('refuses a replayed signature', async () => {
    const { id, config } = simStore(6, { mode: 'manual' });
    const body = JSON.stringify({ store: id, reason: 'ticket 42' });
    const { api, send } = await signedPost(body);
    await api.putConfig(fleetConfig([config]));
    const first = await send();
    expect(first.status).toBe(409); // the monitor has not probed yet: refused, but the signature was good
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('signature_replayed');
  });

  it('refuses a stale, an unsigned and a mis-signed request', async () => {
    const body = JSON.stringify({ store: 'fo-07', reason: 'x' });
    const stale = await signedPost(body, Date.now() - 301_000);
    expect((await stale.send()).status).toBe(401);
    const api = client();
    expect((await api.call('/hooks/v1/failover', { method: 'POST', body })).status).toBe(401);
    const wrong = await hookHeaders('fo-07', 'hook', body, { master: 'not-the-hook-secret' });
    expect((await api.call('/hooks/v1/failover', { method: 'POST', headers: wrong, body })).status).toBe(401);
  });

  it('a hook cannot waive the lag guard: allowDataLoss is 400 and nothing starts', async () => {
    const id = unique('st');
    await healthyStore(id);
    const api = client();
    await api.putConfig(fleetConfig([storeConfig(id)]));
    const body = JSON.stringify({ store: id, reason: 'force it', allowDataLoss: true });
    const res = await api.call('/hooks/v1/failover', {
      method: 'POST',
      headers: await hookHeaders(id, 'hook', body),
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/allowDataLoss/);
    const audit = await api.call('/api/v1/audit', { token: 'admin' });
    const entries = ((await audit.json()) as { entries: Array<{ action: string }> }).entries;
    expect(entries.filter((e) => e.action.startsWith('failover'))).toEqual([]);
  });

  it("a hook signed with another store's hook key, or with a node's key, is 401", async () => {
    const [id, other] = [unique('st'), unique('st')];
    const api = client();
    await api.putConfig(fleetConfig([storeConfig(id), storeConfig(other)]));
    const body = JSON.stringify({ store: id, reason: 'ticket 44' });
    for (const headers of [await hookHeaders(other, 'hook', body), await hookHeaders(id, `${id}-a`, body)]) {
      const res = await api.call('/hooks/v1/failover', { method: 'POST', headers, body });
      expect(res.status).toBe(401);
    }
  });

  it('a signed request for a store in grace is refused with the reason, as an operator one would be', async () => {
    const { id, config } = simStore(8, { mode: 'manual' });
    const body = JSON.stringify({ store: id, reason: 'ticket 43', target: `${id}-b` });
    const { api, send } = await signedPost(body);
    await api.putConfig(fleetConfig([config]));
    const res = await send();
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/probe round/);
  });
});
