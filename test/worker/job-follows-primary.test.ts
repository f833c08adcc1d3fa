/**
 * A primary-only job installed on both nodes of a simulated store follows the primary through a
 * failover: each slot, every node's wrapper asks its own agent (the simulator's
 * `nodes/:node/local/primary`, decided by the same `primaryGate` the agent uses) and runs or sends
 * `skipped`, signed with the job's key and naming its node, as `npm run job -- --primary-only` does.
 */
import { describe, expect, inject, it } from 'vitest';
import { PrimaryGate } from '#shared/primary-gate.ts';
import { controlClient } from '#sim/control-client.ts';
import { client, fleetConfig, hookHeaders, simulatedMonitor } from './support.ts';

const sim = inject('sim');
const control = controlClient(sim.url, sim.controlToken);
const ID = 'fo-21'; // this test's own simulated store (see test/support/global-setup.ts)
const NODES = [`${ID}-a`, `${ID}-b`];

type Monitor = Awaited<ReturnType<typeof simulatedMonitor>>;
type Api = ReturnType<typeof client>;

/** One slot on every node: ask the local agent, then run (start, success) or stand aside. */
async function slot(api: Api, run: string): Promise<string[]> {
  const ran: string[] = [];
  for (const node of NODES) {
    const beat = async (body: Record<string, unknown>) => {
      const text = JSON.stringify(body);
      const res = await api.call(`/hooks/v1/heartbeat/${ID}/sync`, {
        method: 'POST',
        headers: await hookHeaders(ID, 'job:sync', text),
        body: text,
      });
      expect(res.status).toBe(200);
    };
    let gate: PrimaryGate;
    try {
      gate = PrimaryGate.parse(await (await fetch(`${sim.url}/stores/${ID}/nodes/${node}/local/primary`)).json());
    } catch {
      continue; // the node is down: its wrapper cannot ask, does not run, exits 69
    }
    const from = { node: gate.node, epoch: gate.epoch, run: `${run}-${node}` };
    if (!gate.serving) {
      await beat({ event: 'skipped', message: gate.reason, ...from });
      continue;
    }
    await beat({ event: 'start', ...from });
    await beat({ event: 'success', ...from });
    ran.push(node);
  }
  return ran;
}

async function roundsUntilPrimary(monitor: Monitor, node: string) {
  for (let i = 0; i < 40; i++) {
    const status = await monitor.round(1000);
    if (status?.primary === node && status.lastFailover?.state === 'completed') return status;
  }
  return monitor.stub.status();
}

describe('a primary-only job through a failover (simulated store)', () => {
  it('runs on the primary only, and after the failover on the new primary; the history shows the node', async () => {
    // 2026-11-21 18:00 in Shanghai: within the seeds' 09:00–22:00 window.
    const monitor = await simulatedMonitor(ID, Date.UTC(2026, 10, 21, 10, 0, 0));
    const api = client();
    const store = {
      id: ID,
      name: 'Failover store 21',
      timezone: 'Asia/Shanghai',
      activeEndpoint: `${sim.url}/stores/${ID}/active`,
      arbiter: { url: `${sim.url}/stores/${ID}/arbiter` },
      nodes: NODES.map((n, i) => ({ id: n, url: `${sim.url}/stores/${ID}/nodes/${n}`, priority: 100 - 50 * i })),
      // Leases and the promote gate have their own tests (lease-monitor.test.ts); this one is about the job,
      // on the monitor's simulated clock, so self-fencing is off (its lease must still fit, section 6).
      failover: { mode: 'auto', thresholdSeconds: 5, leaseSeconds: 1, selfFence: false },
      jobs: [{ id: 'sync', name: 'MobiLink sync', schedule: '*/10 9-21 * * *', graceSeconds: 120 }],
    };
    expect((await api.putConfig(fleetConfig([store], { intervalSeconds: 2 }))).status).toBe(200);
    await monitor.round(0);
    expect((await monitor.rounds(3))?.status).toBe('healthy');

    expect(await slot(api, 'r1800')).toEqual([`${ID}-a`]); // the 18:00 slot

    await control.inject(ID, 'crash');
    const after = await roundsUntilPrimary(monitor, `${ID}-b`);
    expect(after).toMatchObject({ primary: `${ID}-b`, lastFailover: { state: 'completed' } });

    await monitor.round(9 * 60_000); // into the 18:10 slot
    expect(await slot(api, 'r1810')).toEqual([`${ID}-b`]);
    const status = await monitor.round();
    expect(status?.reasons.join('\n') ?? '').not.toMatch(/job sync/);

    const jobs = (await (await api.call(`/api/v1/stores/${ID}/jobs`, { token: 'viewer' })).json()) as {
      jobs: Array<{ state: string; lastRun: { node: string } | null; doubled: unknown }>;
    };
    expect(jobs.jobs[0]).toMatchObject({ state: 'ok', lastRun: { node: `${ID}-b` }, doubled: null });
    const runs = (await (await api.call(`/api/v1/stores/${ID}/jobs/sync/runs`, { token: 'viewer' })).json()) as {
      runs: Array<{ event: string; node: string }>;
    };
    expect(runs.runs.map((r) => `${r.event} ${r.node}`).reverse()).toEqual([
      `start ${ID}-a`,
      `success ${ID}-a`,
      `skipped ${ID}-b`,
      `start ${ID}-b`,
      `success ${ID}-b`,
    ]);
  });
});
