import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type HeartbeatTarget, sendHeartbeat } from '#agent/job/heartbeat-client.ts';
import { jobCredentials } from '#agent/job/job-credentials.ts';
import { runJob } from '#agent/job/run-job.ts';

const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
/** `key(HOOK_SECRET, "gz-tianhe", "job:nightly")`, computed as the worker does. */
const JOB_KEY = hex('hook-master', 'mirrorwatch-key/v2\ngz-tianhe\njob:nightly');

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
let received: Received[] = [];
let answers: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200, { 'content-type': 'application/json' }).end('{"job":{}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answers = [];
});

const node = process.execPath;
const target = (credentials: HeartbeatTarget['credentials']): HeartbeatTarget => ({
  worker: `${base}/`,
  store: 'gz-tianhe',
  job: 'nightly',
  credentials,
});
const quiet = { sleep: async () => undefined, log: () => undefined };
const events = () => received.map((r) => JSON.parse(r.body) as { event: string; message?: string; run: string });

describe('npm run job: a scheduled job between two heartbeats', () => {
  it('sends start, runs the command, then success with how long it took; exit code 0', async () => {
    const code = await runJob(target({ kind: 'token', token: 'job-token' }), [node, '-e', 'process.exit(0)'], quiet);
    expect(code).toBe(0);
    expect(received.map((r) => r.path)).toEqual([
      '/hooks/v1/heartbeat/gz-tianhe/nightly',
      '/hooks/v1/heartbeat/gz-tianhe/nightly',
    ]);
    expect(events().map((e) => e.event)).toEqual(['start', 'success']);
    expect(events()[1]?.message).toMatch(/^took \d+\.\d s$/);
    expect(received[0]?.headers.authorization).toBe('Bearer job-token');
    const runs = received.map((r) => (JSON.parse(r.body) as { run: string }).run);
    expect(runs[0]).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    expect(runs[1]).toBe(runs[0]); // start and end pair up
  });

  it('a failing command sends fail with its exit code, signed with the job key, and exits with that code', async () => {
    const code = await runJob(target({ kind: 'signed', key: JOB_KEY }), [node, '-e', 'process.exit(3)'], quiet);
    expect(code).toBe(3);
    expect(events()).toMatchObject([
      { event: 'start' },
      { event: 'fail', message: expect.stringMatching(/^exit code 3 after/) },
    ]);
    for (const r of received) {
      const timestamp = String(r.headers['x-mirrorwatch-timestamp']);
      expect(r.headers['x-mirrorwatch-principal']).toBe('job:nightly');
      expect(r.headers['x-mirrorwatch-signature']).toBe(`v1=${hex(JOB_KEY, `${timestamp}.${r.body}`)}`);
    }
  });

  it('a command that cannot start is a failed run (127), reported as such', async () => {
    const code = await runJob(target({ kind: 'token', token: 't' }), ['/no/such/program'], quiet);
    expect(code).toBe(127);
    expect(events()[1]).toMatchObject({ event: 'fail', message: expect.stringContaining('could not start') });
  });

  it('an unreachable worker never stops the job: it runs, and the lost heartbeats are reported', async () => {
    const lines: string[] = [];
    const unreachable = { ...target({ kind: 'token', token: 't' }), worker: 'http://127.0.0.1:9' };
    const code = await runJob(unreachable, [node, '-e', 'process.exit(0)'], { ...quiet, log: (l) => lines.push(l) });
    expect(code).toBe(0);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/could not send the start heartbeat: .*after 3 attempts/);
  });
});

describe('sending one heartbeat', () => {
  it('retries a 5xx, each time signed anew, and stops at the first success', async () => {
    answers = [503, 200];
    const sent = await sendHeartbeat(target({ kind: 'signed', key: JOB_KEY }), 'start', null, 'r1', {
      sleep: async () => undefined,
    });
    expect(sent).toEqual({ ok: true, status: 200 });
    expect(received).toHaveLength(2);
  });

  it('does not retry a 4xx: a wrong token or an unknown job will not get better', async () => {
    answers = [401];
    const sent = await sendHeartbeat(target({ kind: 'token', token: 'wrong' }), 'start', null, 'r1', {
      sleep: async () => undefined,
    });
    expect(sent).toMatchObject({ ok: false, error: expect.stringMatching(/^HTTP 401/) });
    expect(received).toHaveLength(1);
  });
});

describe('the job wrapper’s credentials', () => {
  it('takes the job token, or the job key; never a master secret', () => {
    expect(jobCredentials({ MIRRORWATCH_JOB_TOKEN: 't' }, 'gz-tianhe', 'nightly')).toEqual({
      ok: true,
      credentials: { kind: 'token', token: 't' },
    });
    expect(jobCredentials({ MIRRORWATCH_JOB_KEY: JOB_KEY }, 'gz-tianhe', 'nightly')).toEqual({
      ok: true,
      credentials: { kind: 'signed', key: JOB_KEY },
    });
    const master = jobCredentials({ HOOK_SECRET: 'hook-master', MIRRORWATCH_JOB_KEY: JOB_KEY }, 'gz-tianhe', 'nightly');
    expect(master).toMatchObject({ ok: false, error: expect.stringContaining('HOOK_SECRET is set') });
    const notAKey = jobCredentials({ MIRRORWATCH_JOB_KEY: 'hook-master' }, 'gz-tianhe', 'nightly');
    expect(notAKey).toMatchObject({
      ok: false,
      error: expect.stringContaining('npm run keys -- gz-tianhe job:nightly'),
    });
    expect(jobCredentials({}, 'gz-tianhe', 'nightly')).toMatchObject({ ok: false });
  });
});
