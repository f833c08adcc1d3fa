/**
 * `npm run job -- --primary-only`: the job installed on both nodes runs only where the local agent
 * says the node is the serving, unfenced primary; elsewhere it sends `skipped` and exits 0; a
 * start while the previous run still goes is refused; an agent that cannot be asked means no run.
 * A real agent HTTP server with a stand-in backend, and a stand-in worker recording heartbeats.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatTarget } from '#agent/job/heartbeat-client.ts';
import {
  EXIT_AGENT_UNAVAILABLE,
  EXIT_STILL_RUNNING,
  type PrimaryOnlyOptions,
  runPrimaryOnly,
} from '#agent/job/primary-only.ts';
import { acquireRunLock, lockPath } from '#agent/job/run-lock.ts';
import { type AgentServer, startAgentServer } from '#agent/server.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { primaryReport, standbyReport } from '../shared/support/observations.ts';
import { startHeartbeatRecorder } from '../support/heartbeat-recorder.ts';

const STORE = 'gz-tianhe';

let worker: Awaited<ReturnType<typeof startHeartbeatRecorder>>;
const beats = () => worker.beats;
let report: AgentReport = primaryReport(`${STORE}-a`, 4);
let agent: AgentServer;
let scratch = '';
let lockDir = '';

beforeAll(async () => {
  worker = await startHeartbeatRecorder();
  agent = await startAgentServer({
    backend: {
      report: async () => report,
      promote: async () => ({ state: 'completed', message: '' }),
      fence: async () => ({ state: 'completed', message: '' }),
    },
    store: STORE,
    node: `${STORE}-a`,
    actions: null,
    log: () => undefined,
  });
  scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-primary-only-'));
});
afterAll(async () => {
  await agent.close();
  await worker.close();
  await rm(scratch, { recursive: true, force: true });
});
let counter = 0;
beforeEach(() => {
  worker.reset();
  report = primaryReport(`${STORE}-a`, 4);
  counter += 1;
  lockDir = join(scratch, `locks-${counter}`);
});

const target = (): HeartbeatTarget => ({
  worker: worker.url,
  store: STORE,
  job: 'sync',
  credentials: { kind: 'token', token: 'job-token' },
});
const options = (extra: Partial<PrimaryOnlyOptions> = {}): PrimaryOnlyOptions => ({
  agent: agent.url,
  lockDir,
  sleep: async () => undefined,
  log: () => undefined,
  ...extra,
});
/** A command that leaves a marker file, so a test can tell whether it ran. */
const marking = (name: string) => {
  const marker = join(scratch, `${name}-${counter}`);
  return { marker, command: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`] };
};

describe('primary-only mode of the job wrapper', () => {
  it('on the serving primary runs the command between heartbeats naming the node and epoch', async () => {
    const { marker, command } = marking('primary');
    expect(await runPrimaryOnly(target(), command, options())).toBe(0);
    expect(existsSync(marker)).toBe(true);
    expect(beats()).toMatchObject([
      { event: 'start', node: `${STORE}-a`, epoch: 4 },
      { event: 'success', node: `${STORE}-a`, epoch: 4 },
    ]);
    expect(existsSync(lockPath(lockDir, STORE, 'sync'))).toBe(false); // released
  });

  it('on a standby sends skipped with the reason, does not run the command, and exits 0', async () => {
    report = standbyReport(`${STORE}-a`, 4);
    const { marker, command } = marking('standby');
    expect(await runPrimaryOnly(target(), command, options())).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(beats()).toMatchObject([{ event: 'skipped', node: `${STORE}-a`, epoch: 4, message: 'standby at epoch 4' }]);
  });

  it('a fenced primary, or one whose database does not answer, stands aside too', async () => {
    for (const r of [
      primaryReport(`${STORE}-a`, 4, { fenced: true }),
      primaryReport(`${STORE}-a`, 4, { healthy: false }),
    ]) {
      report = r;
      const { marker, command } = marking(`aside-${r.fenced ? 'fenced' : 'down'}`);
      expect(await runPrimaryOnly(target(), command, options())).toBe(0);
      expect(existsSync(marker)).toBe(false);
    }
    expect(beats().map((b) => [b.event, b.message])).toEqual([
      ['skipped', 'fenced primary at epoch 4: it no longer serves'],
      ['skipped', 'the database does not answer (last seen primary)'],
    ]);
  });

  it('refuses to start while the previous run is still going on this node, and runs once it ends', async () => {
    const go = join(scratch, `go-${counter}`);
    const slow = [
      process.execPath,
      '-e',
      `const fs = require('fs'); const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(go)})) clearInterval(t); }, 10);`,
    ];
    const started = new Promise<void>((resolve) => worker.reset((b) => b.event === 'start' && resolve()));
    const first = runPrimaryOnly(target(), slow, options());
    await started; // the first run holds the lock
    const { marker, command } = marking('overlap');
    const lines: string[] = [];
    expect(await runPrimaryOnly(target(), command, options({ log: (l) => lines.push(l) }))).toBe(EXIT_STILL_RUNNING);
    expect(existsSync(marker)).toBe(false);
    expect(lines.join('\n')).toMatch(/previous run \(pid \d+.*\) is still going/);
    await writeFile(go, 'go');
    expect(await first).toBe(0);
    expect(beats().map((b) => b.event)).toEqual(['start', 'skipped', 'success']);
    expect(beats()[1]?.message).toMatch(/^not started: a previous run/);
    expect(await runPrimaryOnly(target(), command, options())).toBe(0); // the lock went with the run
    expect(existsSync(marker)).toBe(true);
  });

  it('does not run when the worker says the store has moved to a later epoch (a stale primary)', async () => {
    const why = 'node "gz-tianhe-a" follows epoch 4 but the store is at epoch 5: it is not the primary';
    worker.reset(undefined, (b) =>
      b.event === 'start'
        ? { status: 409, body: { error: { code: 'stale_epoch', message: why } } }
        : { status: 200, body: { job: {} } },
    );
    const { marker, command } = marking('stale-epoch');
    expect(await runPrimaryOnly(target(), command, options())).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(beats().map((b) => b.event)).toEqual(['start', 'skipped']);
    expect(beats()[1]?.message).toBe(why);
    expect(existsSync(lockPath(lockDir, STORE, 'sync'))).toBe(false);
  });

  it('runs on the agent’s word when the worker cannot be reached (a WAN cut must not stop the sync)', async () => {
    const { marker, command } = marking('no-worker');
    const cut = { ...target(), worker: 'http://127.0.0.1:9' };
    expect(await runPrimaryOnly(cut, command, options())).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('a lock left by a run that crashed does not block the job for ever', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    const pid = dead.pid ?? 0;
    await new Promise((resolve) => dead.on('exit', resolve));
    const crashed = await acquireRunLock(lockDir, STORE, 'sync', pid);
    expect(crashed.ok).toBe(true);
    const { marker, command } = marking('stale');
    expect(await runPrimaryOnly(target(), command, options())).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });

  it('an agent that cannot be asked, or is another store’s, means no run and an exit a script sees', async () => {
    const { marker, command } = marking('no-agent');
    const lines: string[] = [];
    const down = options({ agent: 'http://127.0.0.1:9', log: (l) => lines.push(l) });
    expect(await runPrimaryOnly(target(), command, down)).toBe(EXIT_AGENT_UNAVAILABLE);
    expect(lines[0]).toMatch(
      /^not running: the local agent at http:\/\/127\.0\.0\.1:9\/local\/primary cannot be asked/,
    );
    const other = { ...target(), store: 'sz-futian' };
    expect(await runPrimaryOnly(other, command, options({ log: (l) => lines.push(l) }))).toBe(EXIT_AGENT_UNAVAILABLE);
    expect(lines[1]).toMatch(/is store "gz-tianhe"'s, not "sz-futian"'s/);
    expect(existsSync(marker)).toBe(false);
    expect(beats().map((b) => [b.event, b.node])).toEqual([
      ['skipped', undefined],
      ['skipped', undefined],
    ]);
  });
});
