import { describe, expect, inject, it } from 'vitest';
import type { Failover } from '#shared/schemas/status.ts';
import { controlClient } from '#sim/control-client.ts';
import {
  actionsTo,
  arbiterReport,
  client,
  fleetConfig,
  primaryReport,
  setAgent,
  simulatedMonitor,
  storeConfig,
  unique,
} from './support.ts';

const sim = inject('sim');
const control = controlClient(sim.url, sim.controlToken);

/** The simulated stores these tests own (failover.test.ts uses the others): one per test. */
function simStore(id: string, failover: Record<string, unknown>) {
  const base = `${sim.url}/stores/${id}`;
  return {
    id,
    name: `Reinstatement store ${id}`,
    activeEndpoint: `${base}/active`,
    arbiter: { url: `${base}/arbiter` },
    nodes: [
      { id: `${id}-a`, url: `${base}/nodes/${id}-a`, priority: 100 },
      { id: `${id}-b`, url: `${base}/nodes/${id}-b`, priority: 50 },
    ],
    // As in failover.test.ts: the simulator runs on real time and the monitor on a simulated clock,
    // so leases are off here (they are proved in lease-*.test.ts).
    failover: { mode: 'auto', thresholdSeconds: 7, leaseSeconds: 1, selfFence: false, ...failover },
  };
}

type Monitor = Awaited<ReturnType<typeof simulatedMonitor>>;

async function roundsUntil(monitor: Monitor, done: (s: Awaited<ReturnType<Monitor['round']>>) => boolean, max = 30) {
  for (let i = 0; i < max; i++) {
    const status = await monitor.round(1000);
    if (done(status)) return status;
  }
  return monitor.stub.status();
}

/** A watched simulated store whose primary `-a` crashed and was failed over to `-b`, then came back fenced. */
async function failedOverAndBack(id: string, failover: Record<string, unknown>, startAt?: number) {
  const monitor = await simulatedMonitor(id, startAt);
  const api = client();
  expect((await api.putConfig(fleetConfig([simStore(id, failover)]))).status).toBe(200);
  await monitor.round(0);
  expect((await monitor.rounds(3))?.status).toBe('healthy');
  await control.inject(id, 'crash');
  await monitor.round();
  const after = await roundsUntil(monitor, (s) => s?.lastFailover?.state === 'completed');
  expect(after).toMatchObject({ primary: `${id}-b`, epoch: 2 });
  await control.inject(id, 'restore', { node: `${id}-a` });
  return { monitor, api };
}

const reinstatedOf = (s: { lastFailover: Failover | null } | null | undefined) => s?.lastFailover?.reinstatedAt;

describe('reinstatement (contract section 8)', () => {
  it('an operator reinstates the fenced old primary: 202, the signed action names the primary, and the record says when and what it cost', async () => {
    const id = 'fo-25'; // this file's own stores: fo-25 … fo-27 (fo-21 and fo-22 belong to other files)
    const { monitor, api } = await failedOverAndBack(id, {});
    const mustReinstate = new RegExp(`^${id}-a .*reinstated as a standby`);
    const fenced = await roundsUntil(monitor, (s) => s?.reasons.some((r) => mustReinstate.test(r)) === true);
    expect(fenced?.status).toBe('degraded');
    expect(fenced?.reasons).toContainEqual(expect.stringMatching(mustReinstate));
    expect(await control.actions({ store: id, action: 'reinstate' })).toEqual([]); // autoReinstate is off

    const ask = (node: string, token: 'operator' | 'viewer' = 'operator') =>
      api.call(`/api/v1/stores/${id}/reinstate`, {
        method: 'POST',
        token,
        body: JSON.stringify({ node, reason: 'rebuilt after the crash' }),
      });
    expect((await ask(`${id}-a`, 'viewer')).status).toBe(403);
    const primary = await ask(`${id}-b`);
    expect(primary.status).toBe(409);
    const refused = (await primary.json()) as { error: { code: string; message: string } };
    expect(refused.error.code).toBe('reinstate_refused');
    expect(refused.error.message).toContain(`${id}-b is the primary`);
    expect(refused.error.message).toContain(`${id}-b is not fenced`);
    expect((await ask('no-such-node')).status).toBe(409);

    const res = await ask(`${id}-a`);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { reinstatement: Record<string, unknown> };
    expect(body.reinstatement).toMatchObject({ node: `${id}-a`, epoch: 2, primary: `${id}-b`, outcome: 'accepted' });
    const sent = await control.actions({ store: id, action: 'reinstate' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.verdict).toMatchObject({ signatureValid: true, applied: true });
    expect(sent[0]?.headers['idempotency-key']).toBe(`${id}:2:reinstate:${id}-a`);
    expect(JSON.parse(sent[0]?.body ?? '{}')).toMatchObject({ action: 'reinstate', epoch: 2, primary: `${id}-b` });

    const back = await roundsUntil(monitor, (s) => reinstatedOf(s) !== undefined && reinstatedOf(s) !== null);
    expect(back?.status).toBe('healthy');
    expect(back?.lastFailover).toMatchObject({ state: 'completed', reinstatedAt: expect.any(String) });
    expect(back?.lastFailover?.discardedBytes).toBeGreaterThan(0); // what the crashed primary never replicated
    const events = (await (
      await api.call(`/api/v1/stores/${id}/events?type=failover`, { token: 'viewer' })
    ).json()) as {
      events: Array<{ message: string }>;
    };
    expect(events.events.map((e) => e.message)).toContainEqual(
      expect.stringMatching(new RegExp(`${id}-a reinstated as a standby of ${id}-b at epoch 2.*redundancy restored`)),
    );
    const audit = (await (await api.call('/api/v1/audit', { token: 'admin' })).json()) as {
      entries: Array<{ action: string; outcome: string }>;
    };
    expect(
      audit.entries
        .filter((e) => e.action === 'reinstate.request')
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['done', 'refused', 'refused']);
  });

  it('with failover.autoReinstate the monitor reinstates the fenced old primary by itself, once', async () => {
    const id = 'fo-26';
    // Near the real clock: the public page (the Fleet's, on real time) shows the note for a day.
    const { monitor, api } = await failedOverAndBack(id, { autoReinstate: true }, Date.now() - 600_000);
    const back = await roundsUntil(monitor, (s) => typeof reinstatedOf(s) === 'string');
    expect(back?.status).toBe('healthy');
    expect(back?.lastFailover).toMatchObject({ reinstatedAt: expect.any(String), discardedBytes: expect.any(Number) });
    await monitor.rounds(5, 1000);
    const sent = await control.actions({ store: id, action: 'reinstate' });
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.body ?? '{}')).toMatchObject({ requestedBy: 'auto', primary: `${id}-b`, epoch: 2 });
    expect(back?.nodes.find((n) => n.id === `${id}-a`)).toMatchObject({ role: 'standby', reachable: true });

    // The public page says the store has its second node back, and nothing internal.
    const pub = (await (await api.call('/api/v1/public/status')).json()) as { stores: Array<Record<string, unknown>> };
    expect(pub.stores[0]).toMatchObject({ id, status: 'healthy', redundancyRestoredAt: reinstatedOf(back) });
    const page = await (await api.call('/status')).text();
    expect(page).toContain('Redundancy restored');
    expect(page).not.toContain(`${id}-a`);
  });

  it('without autoReinstate nothing is sent, however long the old primary stays fenced', async () => {
    const id = 'fo-27';
    const { monitor } = await failedOverAndBack(id, { autoReinstate: false });
    const status = await monitor.rounds(40, 1000);
    expect(status?.status).toBe('degraded');
    expect(reinstatedOf(status) ?? null).toBeNull();
    expect(await control.actions({ store: id, action: 'reinstate' })).toEqual([]);
  });

  it('an agent that refuses is a 409 naming its answer, and auto-reinstatement does not ask it again every round', async () => {
    const id = unique('st');
    const fencedA = { ...primaryReport(`${id}-a`, 1), role: 'unknown', healthy: false, fenced: true };
    await Promise.all([
      setAgent(`${id}-a`, { mode: 'report', report: fencedA, actionStatus: 409 }),
      setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 2) }),
      setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-b`, 2) }),
      setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: true }, 2) }),
    ]);
    const monitor = await simulatedMonitor(id);
    const api = client();
    const failover = { thresholdSeconds: 7, leaseSeconds: 1, selfFence: false, autoReinstate: true };
    expect((await api.putConfig(fleetConfig([storeConfig(id, { failover })]))).status).toBe(200);
    await monitor.round(0);
    await monitor.rounds(60, 1000); // a minute: auto-reinstatement asks once, is refused, waits
    const asked = async () =>
      (await actionsTo(`${id}-a`)).filter((p) => (JSON.parse(p.body) as { action: string }).action === 'reinstate');
    expect(await asked()).toHaveLength(1);

    const res = await api.call(`/api/v1/stores/${id}/reinstate`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ node: `${id}-a`, reason: 'try again' }),
    });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      new RegExp(`${id}-a refused: HTTP 409`),
    );
    expect(await asked()).toHaveLength(2);
  });
});
