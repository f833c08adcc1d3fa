import { describe, expect, it } from 'vitest';
import {
  actionsTo,
  alertReceiver,
  arbiterReport,
  client,
  fleetConfig,
  primaryReport,
  setAgent,
  standbyReport,
  storeConfig,
  watchedStore,
} from './support.ts';

const MIB = 1024 * 1024;
/** Auto mode, a short threshold and promote timeout; leases off (lease-monitor.test.ts proves them). */
const FAILOVER = { mode: 'auto', thresholdSeconds: 7, leaseSeconds: 1, selfFence: false, promoteTimeoutSeconds: 5 };

type Watched = Awaited<ReturnType<typeof watchedStore>>;

/** The primary `-a` and the active endpoint die; the standby `-b` and the arbiter lose it. */
async function losePrimary(id: string, lagBytes?: number) {
  const lost = { state: 'disconnected' as const, primaryReachable: false, lagSeconds: 0.4 };
  await Promise.all([
    setAgent(`${id}-a`, { mode: 'http500' }),
    setAgent(`${id}-vip`, { mode: 'http500' }),
    setAgent(`${id}-b`, {
      mode: 'report',
      report: standbyReport(`${id}-b`, 1, lagBytes === undefined ? lost : { ...lost, lagBytes }),
    }),
    setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: false, [`${id}-b`]: true }, 1) }),
  ]);
}

async function roundsUntil(w: Watched, done: (s: Awaited<ReturnType<Watched['monitor']['round']>>) => boolean) {
  for (let i = 0; i < 40; i++) {
    const status = await w.monitor.round(1000);
    if (done(status)) return status;
  }
  return w.monitor.stub.status();
}

const promoteSent = async (id: string) =>
  (await actionsTo(`${id}-b`)).some((p) => (JSON.parse(p.body) as { action: string }).action === 'promote');

/** One-second rounds until the promote went out to `-b` (the loss threshold, then the fence wait). */
async function untilPromoted(w: Watched): Promise<void> {
  for (let i = 0; i < 40 && !(await promoteSent(w.id)); i++) await w.monitor.round(1000);
}

describe('completion from the edge (contract section 8)', () => {
  it('a target that promoted while the active endpoint never follows ends failed, naming the active endpoint, and alerts', async () => {
    const { alerts, received } = alertReceiver(`${crypto.randomUUID()}-ops`);
    const w = await watchedStore({ store: { failover: FAILOVER }, fleet: { alerts } });
    const { id } = w;
    await losePrimary(id);
    await untilPromoted(w);
    expect(await promoteSent(id)).toBe(true);
    // The target promotes; the active IP stays with the dead node.
    await setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 2) });
    const waiting = await w.monitor.round(1000);
    expect(waiting?.status).toBe('failing_over');
    expect(waiting?.lastFailover).toMatchObject({ state: 'promoting', promotedAt: expect.any(String) });
    expect(waiting?.lastFailover?.completedAt).toBeNull();

    const failed = await roundsUntil(w, (s) => s?.lastFailover?.state === 'failed');
    expect(failed?.lastFailover?.error).toMatch(
      new RegExp(`^the active endpoint did not answer as ${id}-b at epoch 2 within \\d+ s of the decision`),
    );
    expect(failed?.lastFailover?.activeEndpointAt ?? null).toBeNull();
    const sent = (await received()).map((r) => r.message);
    expect(sent).toContainEqual(
      expect.objectContaining({
        kind: 'notice',
        severity: 'critical',
        condition: `failover:${failed?.lastFailover?.id}:failed`,
        text: expect.stringContaining('the active endpoint did not answer'),
      }),
    );
  });

  it('an active endpoint that follows late completes the failover at its own mark', async () => {
    const w = await watchedStore({ store: { failover: { ...FAILOVER, promoteTimeoutSeconds: 60 } } });
    const { id } = w;
    await losePrimary(id);
    await untilPromoted(w);
    await setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 2) });
    await w.monitor.rounds(3, 1000);
    await setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-b`, 2) });
    const done = await roundsUntil(w, (s) => s?.lastFailover?.state === 'completed');
    const f = done?.lastFailover;
    expect(Date.parse(f?.activeEndpointAt ?? '')).toBeGreaterThan(Date.parse(f?.promotedAt ?? ''));
    expect(f?.completedAt).toBe(f?.activeEndpointAt);
  });
});

describe('the maxLagBytes guard', () => {
  async function lagging(lagBytes: number) {
    const w = await watchedStore({ store: { failover: { ...FAILOVER, maxLagBytes: MIB } } });
    const { id } = w;
    const streaming = { lagSeconds: 0.4, lagBytes };
    await setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, 1, streaming) });
    await w.monitor.rounds(2);
    await losePrimary(id, lagBytes);
    return w;
  }

  it('refuses an automatic promote above it, and an operator gets a 409 in bytes unless allowDataLoss', async () => {
    const w = await lagging(5 * MIB);
    const { id, api } = w;
    const down = await w.monitor.rounds(20, 1000);
    expect(down?.status).toBe('primary_down');
    expect(await promoteSent(id)).toBe(false);
    const ask = (allowDataLoss: boolean) =>
      api.call(`/api/v1/stores/${id}/failover`, {
        method: 'POST',
        token: 'operator',
        body: JSON.stringify({ reason: 'primary dead', allowDataLoss }),
      });
    const refused = await ask(false);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      `standby ${id}-b lag 5 MiB (5242880 bytes) exceeds the maxLagBytes limit of 1 MiB`,
    );
    const forced = await ask(true);
    expect(forced.status).toBe(202);
    expect(((await forced.json()) as { failover: Record<string, unknown> }).failover).toMatchObject({
      dataLossAllowed: true,
      lagBytesAtDecision: 5 * MIB,
    });
  });

  it('within it the automatic failover goes ahead and records the bytes', async () => {
    const w = await lagging(64 * 1024);
    await untilPromoted(w);
    expect(await promoteSent(w.id)).toBe(true);
    expect((await w.monitor.stub.failovers(1))[0]).toMatchObject({ lagBytesAtDecision: 64 * 1024 });
  });

  it('bad maxLagBytes and autoReinstate values are 422 at their paths, and change nothing', async () => {
    const api = client();
    const res = await api.putConfig(
      fleetConfig([storeConfig('gz-x', { failover: { maxLagBytes: -5 } })], {
        failover: { autoReinstate: 'sometimes', maxLagBytes: 0.5 },
      }),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('invalid_config');
    expect(body.error.details.map((d) => d.path).sort()).toEqual([
      'defaults.failover.autoReinstate',
      'defaults.failover.maxLagBytes',
      'stores[0].failover.maxLagBytes',
    ]);
    expect((await api.call('/api/v1/config', { token: 'admin' })).status).toBe(404);
  });
});
