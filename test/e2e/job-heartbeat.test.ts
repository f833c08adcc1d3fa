import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJob } from '#agent/job/run-job.ts';
import { type LiveWorker, startLiveWorker } from '#harness/live-worker.ts';
import { jobPrincipal, signingKey } from '#shared/keys.ts';

// The job wrapper against the worker under `wrangler dev`: the real hook, auth, monitor and API.
let worker: LiveWorker;
beforeAll(async () => {
  worker = await startLiveWorker();
  await worker.putConfig({
    version: 1,
    stores: [
      {
        id: 'job-store',
        name: 'Job store',
        timezone: 'Asia/Shanghai',
        activeEndpoint: 'http://127.0.0.1:9/vip',
        nodes: [
          { id: 'job-store-a', url: 'http://127.0.0.1:9/a' },
          { id: 'job-store-b', url: 'http://127.0.0.1:9/b' },
        ],
        jobs: [{ id: 'nightly-snapshot', schedule: '0 2 * * *', graceSeconds: 600 }],
      },
    ],
  });
});
afterAll(() => worker?.stop());

describe('npm run job against the worker', () => {
  it('a signed run and a failed run are in the job history and state', async () => {
    const target = {
      worker: worker.base,
      store: 'job-store',
      job: 'nightly-snapshot',
      // The job's own key, as `npm run keys -- job-store job:nightly-snapshot` prints it.
      credentials: {
        kind: 'signed' as const,
        key: (await signingKey(worker.secrets.HOOK_SECRET, 'job-store', jobPrincipal('nightly-snapshot'))) ?? '',
      },
    };
    const lines: string[] = [];
    expect(await runJob(target, [process.execPath, '-e', 'process.exit(0)'], { log: (l) => lines.push(l) })).toBe(0);
    expect(await runJob(target, [process.execPath, '-e', 'process.exit(4)'], { log: (l) => lines.push(l) })).toBe(4);
    expect(lines, lines.join('\n')).toEqual([]);

    const get = async (path: string) =>
      (
        await fetch(`${worker.base}${path}`, { headers: { authorization: `Bearer ${worker.secrets.VIEWER_TOKEN}` } })
      ).json();
    const { runs } = (await get('/api/v1/stores/job-store/jobs/nightly-snapshot/runs')) as {
      runs: Array<{ event: string; message: string | null; run: string | null }>;
    };
    expect(runs.map((r) => r.event)).toEqual(['fail', 'start', 'success', 'start']);
    expect(runs[0]?.run).toBe(runs[1]?.run); // each run's start and end pair up
    expect(runs[2]?.run).toBe(runs[3]?.run);
    expect(runs[0]?.run).not.toBe(runs[2]?.run);
    expect(runs[0]?.message).toMatch(/^exit code 4 after/);
    const { jobs } = (await get('/api/v1/stores/job-store/jobs')) as {
      jobs: Array<{ id: string; state: string; reason: string }>;
    };
    expect(jobs[0]).toMatchObject({ id: 'nightly-snapshot', state: 'failed' });
    expect(jobs[0]?.reason).toContain('exit code 4');
  });
});
