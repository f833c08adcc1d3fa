import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { alertReceiver, hookHeaders, unique, watchedStore } from './support.ts';

// 2026-11-21 08:55 in Shanghai (00:55 UTC): the sync runs every 10 minutes from 09:00 to 21:50.
const START = Date.UTC(2026, 10, 21, 0, 55, 0);
const JOBS = [
  { id: 'sync', name: 'MobiLink sync', schedule: '*/10 9-21 * * *', graceSeconds: 120, maxRunSeconds: 300 },
  { id: 'nightly', schedule: '0 2 * * *', graceSeconds: 600, tokenSecret: 'JOB_TOKEN_NIGHTLY' },
];

async function withJobs() {
  const { alerts: settings, received } = alertReceiver(unique('alerts'));
  const { id, monitor, api } = await watchedStore({
    store: { timezone: 'Asia/Shanghai', jobs: JOBS },
    fleet: { alerts: settings },
    startAt: START,
  });
  const beat = async (
    job: string,
    event: string,
    auth: 'signed' | 'token' | string = 'signed',
    message?: string,
    extra: Record<string, unknown> = {},
  ) => {
    const body = JSON.stringify({ event, ...(message ? { message } : {}), ...extra });
    const headers: Record<string, string> =
      auth === 'signed'
        ? await hookHeaders(id, `job:${job}`, body)
        : { authorization: `Bearer ${auth === 'token' ? TEST_SECRETS.JOB_TOKEN_NIGHTLY : auth}` };
    return api.call(`/hooks/v1/heartbeat/${id}/${job}`, { method: 'POST', headers, body });
  };
  const alerts = async () => (await received()).map((r) => r.message);
  /** A primary-only wrapper's run (start and success) or skip on node `<store>-<suffix>`. */
  const fromNode = async (suffix: string, event: 'run' | 'skipped', run: string) => {
    const node = { node: `${id}-${suffix}`, epoch: 1, run };
    if (event === 'skipped') return beat('sync', 'skipped', 'signed', 'standby at epoch 1', node);
    expect((await beat('sync', 'start', 'signed', undefined, node)).status).toBe(200);
    return beat('sync', 'success', 'signed', undefined, node);
  };
  return { id, monitor, api, beat, alerts, fromNode };
}

type JobJson = {
  id: string;
  state: string;
  lastRun: { event: string; node: string | null } | null;
  nextSlot: { at: string; local: string } | null;
  doubled: { local: string; nodes: string[] } | null;
};

describe('scheduled-job heartbeats', () => {
  it('a missed run makes the store degraded with the reason and alerts; the next run clears it', async () => {
    const { id, monitor, api, beat, alerts } = await withJobs();
    await monitor.round(6 * 60_000); // 09:01: the 09:00 run is within its grace
    expect((await monitor.round())?.status).toBe('healthy');
    const late = await monitor.round(60_000); // 09:02:05: past the grace with no heartbeat
    expect(late?.status).toBe('degraded');
    expect(late?.reasons.join('\n')).toMatch(/job sync: .*09:00.*Asia\/Shanghai/);
    expect((await alerts()).map((a) => [a.kind, a.condition])).toEqual([['open', 'job:sync']]);

    expect((await beat('sync', 'start')).status).toBe(200);
    const done = await beat('sync', 'success', 'signed', 'synced 1,204 rows');
    expect(done.status).toBe(200);
    expect(((await done.json()) as { job: { state: string } }).job.state).toBe('ok');
    expect((await monitor.round())?.status).toBe('healthy');
    await monitor.rounds(13); // clear for over the flap window
    expect((await alerts()).map((a) => a.kind)).toEqual(['open', 'resolved']);

    const runs = await api.call(`/api/v1/stores/${id}/jobs/sync/runs`, { token: 'viewer' });
    expect(((await runs.json()) as { runs: Array<{ event: string; message: string | null }> }).runs).toMatchObject([
      { event: 'success', message: 'synced 1,204 rows' },
      { event: 'start', message: null },
    ]);
    const jobs = await api.call(`/api/v1/stores/${id}/jobs`, { token: 'viewer' });
    expect(((await jobs.json()) as { jobs: Array<{ id: string; state: string }> }).jobs).toMatchObject([
      { id: 'sync', state: 'ok' },
      { id: 'nightly', state: expect.stringMatching(/ok|pending/) },
    ]);
  });

  it('a failed run and a run that takes too long each degrade the store', async () => {
    const { monitor, beat } = await withJobs();
    await monitor.round(5 * 60_000); // 09:00
    await beat('sync', 'start');
    expect((await monitor.round())?.status).toBe('healthy'); // running, within maxRunSeconds
    await monitor.round(5 * 60_000);
    const overrun = await monitor.round();
    expect(overrun?.status).toBe('degraded');
    expect(overrun?.reasons.join('\n')).toMatch(/job sync/);
    await beat('sync', 'fail', 'signed', 'dbmlsync exit code 3');
    const failed = await monitor.round();
    expect(failed?.status).toBe('degraded');
    expect(failed?.reasons.join('\n')).toMatch(/job sync: .*fail/i);
  });

  it("accepts a job's own token, refuses a wrong one and another job's, and rejects bad bodies", async () => {
    const { id, api, beat } = await withJobs();
    expect((await beat('nightly', 'start', 'token')).status).toBe(200);
    const body = JSON.stringify({ event: 'start' });
    const otherJobsKey = await hookHeaders(id, 'job:sync', body);
    const crossed = await api.call(`/hooks/v1/heartbeat/${id}/nightly`, {
      method: 'POST',
      headers: otherJobsKey,
      body,
    });
    expect(crossed.status).toBe(401); // the key of job sync cannot beat for job nightly
    expect((await beat('nightly', 'start', 'not-the-token')).status).toBe(401);
    expect((await beat('sync', 'start', 'token')).status).toBe(401); // sync has no token: it must be signed
    expect((await beat('nowhere', 'start')).status).toBe(401); // job:nowhere is no principal of the store
    expect((await beat('nightly', 'finish', 'token')).status).toBe(422);
  });

  it('a token for a store that is not in the config gets 401, a signed heartbeat 404', async () => {
    const { api } = await withJobs();
    const body = JSON.stringify({ event: 'start' });
    const token = await api.call('/hooks/v1/heartbeat/no-such-store/nightly', {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_SECRETS.JOB_TOKEN_NIGHTLY}` },
      body,
    });
    expect(token.status).toBe(401);
    const signed = await api.call('/hooks/v1/heartbeat/no-such-store/nightly', {
      method: 'POST',
      headers: await hookHeaders('no-such-store', 'job:nightly', body),
      body,
    });
    expect(signed.status).toBe(404);
  });

  it('a slot run on two nodes is a critical alert; history and the jobs API show each run’s node', async () => {
    const { id, monitor, api, alerts, fromNode } = await withJobs();
    await monitor.round(6 * 60_000); // 09:01
    await fromNode('a', 'run', 'r1');
    expect((await fromNode('b', 'run', 'r2')).status).toBe(200); // the 09:00 slot, again, elsewhere
    const doubled = await monitor.round();
    expect(doubled?.status).toBe('degraded');
    expect(doubled?.reasons.join('\n')).toContain(
      `job sync: slot 09:00 (Asia/Shanghai) ran on 2 nodes (${id}-a, ${id}-b)`,
    );
    const opened = (await alerts()).filter((a) => a.kind === 'open');
    expect(opened.map((a) => [a.condition, a.severity])).toContainEqual(['job:sync:doubled', 'critical']);

    const jobs = async () =>
      ((await (await api.call(`/api/v1/stores/${id}/jobs`, { token: 'viewer' })).json()) as { jobs: JobJson[] }).jobs;
    expect((await jobs())[0]).toMatchObject({
      id: 'sync',
      lastRun: { event: 'success', node: `${id}-b` },
      nextSlot: { at: '2026-11-21T01:10:00.000Z', local: '09:10 (Asia/Shanghai)' },
      doubled: { local: '09:00 (Asia/Shanghai)', nodes: [`${id}-a`, `${id}-b`] },
    });
    const runs = await api.call(`/api/v1/stores/${id}/jobs/sync/runs`, { token: 'viewer' });
    const history = ((await runs.json()) as { runs: Array<{ event: string; node: string; epoch: number }> }).runs;
    expect(history.map((r) => [r.event, r.node, r.epoch])).toEqual([
      ['success', `${id}-b`, 1],
      ['start', `${id}-b`, 1],
      ['success', `${id}-a`, 1],
      ['start', `${id}-a`, 1],
    ]);

    // 09:10: one node runs, the other stands aside; the job is back where it belongs.
    await monitor.round(9 * 60_000);
    await fromNode('a', 'run', 'r3');
    expect((await fromNode('b', 'skipped', 'r4')).status).toBe(200);
    expect((await monitor.round())?.status).toBe('healthy');
    expect((await jobs())[0]).toMatchObject({ doubled: null, lastRun: { node: `${id}-a` } });
    await monitor.rounds(13); // clear for over the flap window
    expect((await alerts()).filter((a) => a.condition === 'job:sync:doubled').map((a) => a.kind)).toEqual([
      'open',
      'resolved',
    ]);
  });

  it('a skipped heartbeat is no run: every node standing aside is a missed run', async () => {
    const { monitor, fromNode } = await withJobs();
    await monitor.round(6 * 60_000); // 09:01
    await fromNode('a', 'skipped', 'r1');
    await fromNode('b', 'skipped', 'r2');
    const late = await monitor.round(60_000); // past the 09:00 slot's grace
    expect(late?.status).toBe('degraded');
    expect(late?.reasons.join('\n')).toMatch(/job sync: run due 09:00/);
  });

  it('a start from a node behind the store’s epoch is refused (409 stale_epoch) and recorded nowhere', async () => {
    const { id, api, beat } = await withJobs(); // the store is at epoch 1
    const stale = { node: `${id}-a`, epoch: 0, run: 'r1' };
    const res = await beat('sync', 'start', 'signed', undefined, stale);
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error).toEqual({
      code: 'stale_epoch',
      message: `node "${id}-a" follows epoch 0 but the store is at epoch 1: it is not the primary`,
    });
    expect((await beat('sync', 'skipped', 'signed', error.message, stale)).status).toBe(200);
    expect((await beat('sync', 'start', 'signed', undefined, { ...stale, epoch: 1 })).status).toBe(200);
    const runs = await api.call(`/api/v1/stores/${id}/jobs/sync/runs`, { token: 'viewer' });
    const history = ((await runs.json()) as { runs: Array<{ event: string; epoch: number }> }).runs;
    expect(history.map((r) => [r.event, r.epoch])).toEqual([
      ['start', 1],
      ['skipped', 0],
    ]);
  });

  it('a heartbeat naming a node the store does not have is refused and changes nothing', async () => {
    const { id, api, beat } = await withJobs();
    const res = await beat('sync', 'start', 'signed', undefined, { node: 'sz-futian-a', epoch: 1 });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { message: string } };
    expect(error.message).toBe(`store "${id}" has no node "sz-futian-a"`);
    const runs = await api.call(`/api/v1/stores/${id}/jobs/sync/runs`, { token: 'viewer' });
    expect(((await runs.json()) as { runs: unknown[] }).runs).toEqual([]);
  });
});
