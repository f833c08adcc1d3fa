/**
 * Every `mirrorwatch` command against the real worker under `wrangler dev` and a simulated fleet, one
 * stack for the file: run in-process through cli/run.ts (what bin/mirrorwatch.mjs runs), plus the
 * bin itself as a process, under the system Node 20 as well, to prove the launcher.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { waitFor } from '#harness/live-worker.ts';
import { freePort } from '#harness/pg-cluster.ts';
import { type SimStack, simStore, startSimStack } from '#harness/sim-stack.ts';
import { deriveKeys } from '#shared/keys.ts';
import { AuditPage } from '#shared/schemas/audit.ts';
import { type FleetConfig, FleetConfig as FleetConfigSchema } from '#shared/schemas/config.ts';
import type { StoreStatus } from '#shared/schemas/status.ts';
import { type CliIoOptions, runCliWith } from '#test/support/cli-io.ts';

let stack: SimStack;
const dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-cli-e2e-'));

type Role = 'ADMIN_TOKEN' | 'OPERATOR_TOKEN' | 'VIEWER_TOKEN';
const cli = (argv: string[], role: Role = 'VIEWER_TOKEN', options: CliIoOptions = {}) =>
  runCliWith(argv, {
    fetch: globalThis.fetch,
    ...options,
    env: { MIRRORWATCH_URL: stack.base, MIRRORWATCH_TOKEN: stack.secrets[role], ...options.env },
  });

async function stores(): Promise<StoreStatus[]> {
  const run = await cli(['status', '--json']);
  expect(run.code, run.err).toBe(0);
  return (JSON.parse(run.out) as { stores: StoreStatus[] }).stores;
}
const storeOf = async (id: string) => (await stores()).find((s) => s.id === id);

async function serverConfig(): Promise<FleetConfig> {
  const res = await fetch(`${stack.base}/api/v1/config`, {
    headers: { authorization: `Bearer ${stack.secrets.ADMIN_TOKEN}` },
  });
  return FleetConfigSchema.parse(await res.json());
}

beforeAll(async () => {
  stack = await startSimStack(
    [
      simStore('cli-gz', 'Guangzhou Tianhe', 'South China', 'manual'),
      simStore('cli-sh', 'Shanghai Jingan', 'East China', 'manual'),
      simStore('cli-bj', 'Beijing Wangfujing', 'North China', 'manual'),
    ],
    { intervalSeconds: 1, timeoutMs: 1000, failover: { mode: 'manual', thresholdSeconds: 5 } },
  );
  await waitFor(
    'all stores healthy',
    stores,
    (all) => all.length === 3 && all.every((s) => s.status === 'healthy'),
    60_000,
  );
}, 120_000);

afterAll(async () => {
  await stack?.close();
}, 60_000);

describe('mirrorwatch against the worker', () => {
  it('status: a table of every store, in English and in Chinese; --watch redraws', async () => {
    const en = await cli(['status']);
    expect(en.code).toBe(0);
    const lines = en.out.trim().split('\n');
    expect(lines[0]).toMatch(/^STORE\s+STATUS\s+PRIMARY\s+EPOCH\s+LAG\s+SINCE$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['cli-bj', 'healthy', 'cli-bj-a', '1'],
      ['cli-gz', 'healthy', 'cli-gz-a', '1'],
      ['cli-sh', 'healthy', 'cli-sh-a', '1'],
    ]);
    expect(en.out).not.toContain('\u001b[');
    const zh = await cli(['status'], 'VIEWER_TOKEN', { env: { LANG: 'zh_CN.UTF-8' } });
    expect(zh.out.split('\n')[0]).toMatch(/^门店\s+状态\s+主库\s+纪元\s+延迟\s+起始时间$/);
    expect(zh.out).toContain('正常');
    const tty = await cli(['status'], 'VIEWER_TOKEN', { tty: true });
    expect(tty.out).toContain('\u001b[32mhealthy\u001b[0m');
    const watch = await cli(['status', '--watch', '--interval', '1'], 'VIEWER_TOKEN', { refreshes: 2 });
    expect([watch.code, watch.requests]).toEqual([
      0,
      ['GET /api/v1/stores', 'GET /api/v1/stores', 'GET /api/v1/stores'],
    ]);
    expect(watch.out.match(/^STORE/gm)).toHaveLength(3);
  });

  it('a wrong token is exit 3 and says which setting to check; a viewer may not act (exit 3, 403)', async () => {
    const bad = await cli(['status'], 'VIEWER_TOKEN', { env: { MIRRORWATCH_TOKEN: 'not-a-token' } });
    expect([bad.code, bad.err]).toEqual([
      3,
      'mirrorwatch: the server refused the token (401): check --token or MIRRORWATCH_TOKEN\n',
    ]);
    const viewer = await cli(['failover', 'cli-sh', '--reason', 'drill']);
    expect(viewer.code).toBe(3);
    expect(viewer.err).toMatch(
      /^mirrorwatch: this token may not do that \(403\): .*use a token with the operator role\n$/,
    );
  });

  it('config diff and apply: store by store, asks first, applies with yes, then nothing is left to change', async () => {
    const before = await serverConfig();
    const edited = {
      ...before,
      stores: before.stores.map((s) => (s.id === 'cli-sh' ? { ...s, name: 'Shanghai Jing’an', region: 'Yangtze' } : s)),
    };
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, stringify(edited));
    const diff = await cli(['config', 'diff', file], 'ADMIN_TOKEN');
    expect([diff.code, diff.out]).toEqual([0, '~ cli-sh  changed: name, region\n0 added, 1 changed, 0 removed\n']);
    const no = await cli(['config', 'apply', file], 'ADMIN_TOKEN', { tty: true, answers: ['n'] });
    expect(no.code).toBe(1);
    expect(no.out).toContain(`Apply this config to ${stack.base}? [y/N] n\nnot applied\n`);
    expect(no.requests).toEqual(['GET /api/v1/config']);
    expect((await serverConfig()).stores.find((s) => s.id === 'cli-sh')?.name).toBe('Shanghai Jingan');
    const yes = await cli(['config', 'apply', file], 'ADMIN_TOKEN', { tty: true, answers: ['y'] });
    expect([yes.code, yes.out.trim().split('\n').at(-1)]).toEqual([0, 'applied: 0 added, 1 changed, 0 removed']);
    expect((await serverConfig()).stores.find((s) => s.id === 'cli-sh')?.region).toBe('Yangtze');
    const again = await cli(['config', 'apply', file, '--yes'], 'ADMIN_TOKEN');
    expect([again.code, again.out, again.requests]).toEqual([
      0,
      'no change: the server already runs this config\n',
      ['GET /api/v1/config'],
    ]);
  });

  it('config apply of an invalid file prints each problem with its line and sends nothing', async () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'version: 1\nstores:\n  - id: x\n    name: X\n    activeEndpoint: nope\n');
    const run = await cli(['config', 'apply', file, '--yes'], 'ADMIN_TOKEN');
    expect([run.code, run.requests]).toEqual([1, []]);
    expect(run.err).toContain(`${file}:5:21  stores[0].activeEndpoint: must be an http:// or https:// URL`);
  });

  it('maintenance start and end, then a second end is a clear 404 (exit 1)', async () => {
    const start = await cli(
      ['maintenance', 'start', 'cli-sh', '--reason', 'kernel patch', '--minutes', '30'],
      'OPERATOR_TOKEN',
    );
    expect(start.code, start.err).toBe(0);
    expect(start.out).toMatch(/^maintenance window \S+ of cli-sh open until \d{4}-\d\d-\d\dT/);
    const end = await cli(['maintenance', 'end', 'cli-sh'], 'OPERATOR_TOKEN');
    expect([end.code, end.out]).toEqual([0, 'maintenance of cli-sh ended\n']);
    const again = await cli(['maintenance', 'end', 'cli-sh'], 'OPERATOR_TOKEN');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^mirrorwatch: not found: no maintenance window/);
  });

  it('failover: a switchover to the named standby completes; a target that is no node is refused (exit 1)', async () => {
    const refused = await cli(['failover', 'cli-bj', '--reason', 'drill', '--target', 'cli-bj-z'], 'OPERATOR_TOKEN');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('refused: failover refused: target cli-bj-z is not a node of this store');
    const run = await cli(
      ['failover', 'cli-bj', '--reason', 'switchover drill', '--target', 'cli-bj-b'],
      'OPERATOR_TOKEN',
    );
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^failover \S+ of cli-bj accepted: epoch 2, cli-bj-a → cli-bj-b \(\w+\)\n$/);
    await waitFor(
      'cli-bj promoted',
      () => storeOf('cli-bj'),
      (s) => s?.primary === 'cli-bj-b' && s.epoch === 2,
      60_000,
    );
  });

  it('confirm: refused with nothing sent while the store is healthy; confirms once it awaits an operator', async () => {
    const early = await cli(['confirm', 'cli-gz'], 'OPERATOR_TOKEN');
    expect([early.code, early.requests]).toEqual([1, ['GET /api/v1/stores/cli-gz']]);
    expect(early.err).toContain('store cli-gz is not awaiting a confirmation (status: healthy); nothing was sent');
    await stack.control.inject('cli-gz', 'crash');
    await waitFor(
      'cli-gz awaiting confirm',
      () => storeOf('cli-gz'),
      (s) => s?.status === 'awaiting_confirm',
      60_000,
    );
    const run = await cli(['confirm', 'cli-gz', '--lang', 'zh-CN'], 'OPERATOR_TOKEN');
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^已确认：门店 cli-gz 的故障切换 \S+，纪元 2，切换到 cli-gz-b/);
    await waitFor(
      'cli-gz promoted',
      () => storeOf('cli-gz'),
      (s) => s?.primary === 'cli-gz-b',
      60_000,
    );
  });

  it('events: the store history as a table or JSON, filtered by type', async () => {
    const table = await cli(['events', 'cli-gz', '--type', 'failover']);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^AT\s+TYPE\s+STATUS\s+MESSAGE$/);
    expect(table.out).toMatch(/failover/);
    const json = await cli(['events', 'cli-gz', '--json', '--limit', '5']);
    const page = JSON.parse(json.out) as { events: Array<{ type: string; id: number }> };
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.length).toBeLessThanOrEqual(5);
    const first = await cli(['events', 'cli-gz', '--limit', '1']);
    const cursor = /\nmore: --cursor (\d+)\n$/.exec(first.out)?.[1];
    expect(cursor).toBeDefined();
    const second = await cli(['events', 'cli-gz', '--limit', '1', '--cursor', cursor ?? '', '--json']);
    const [older] = (JSON.parse(second.out) as { events: Array<{ id: number }> }).events;
    expect(older?.id).toBeLessThan(page.events[0]?.id ?? 0);
    const unknown = await cli(['events', 'no-such-store']);
    expect([unknown.code, unknown.err]).toEqual([
      1,
      'mirrorwatch: not found: no store "no-such-store" in the fleet config\n',
    ]);
  });

  it('reinstate: asks the store first, then the route, and reports its answer', async () => {
    const unknown = await cli(['reinstate', 'no-such-store', 'x-a', '--reason', 'r'], 'OPERATOR_TOKEN');
    expect([unknown.code, unknown.requests]).toEqual([1, ['GET /api/v1/stores/no-such-store']]);
    const run = await cli(['reinstate', 'cli-gz', 'cli-gz-a', '--reason', 'rebuilt'], 'OPERATOR_TOKEN');
    expect(run.requests).toEqual(['GET /api/v1/stores/cli-gz', 'POST /api/v1/stores/cli-gz/reinstate']);
    // The worker has the route: an acceptance, or a refusal naming its reasons (exit 1).
    expect(run.err).not.toMatch(/no reinstate route/);
    if (run.code !== 0) expect([run.code, run.err]).toEqual([1, expect.stringMatching(/refused: /)]);
  });

  it('audit: who did what through the CLI, newest first, paged', async () => {
    const run = await cli(['audit', '--json'], 'ADMIN_TOKEN');
    const page = AuditPage.parse(JSON.parse(run.out));
    const actions = page.entries.map((e) => e.action);
    for (const a of ['config.change', 'maintenance.open', 'maintenance.end', 'failover.request', 'failover.confirm'])
      expect(actions).toContain(a);
    const one = await cli(['audit', '--limit', '1'], 'ADMIN_TOKEN');
    expect(one.out.split('\n')[0]).toMatch(/^AT\s+WHO\s+ACTION\s+STORE\s+OUTCOME\s+WHAT$/);
    expect(one.out).toMatch(/\nmore: --cursor \d+\n$/);
    const cursor = /--cursor (\d+)/.exec(one.out)?.[1] ?? '';
    const next = await cli(['audit', '--limit', '1', '--cursor', cursor, '--json'], 'ADMIN_TOKEN');
    expect(AuditPage.parse(JSON.parse(next.out)).entries[0]?.id).toBe(page.entries[1]?.id);
    expect((await cli(['audit'], 'OPERATOR_TOKEN')).code).toBe(3);
  });

  it('report: the availability report as CSV per store of the region, or JSON, to a file or stdout', async () => {
    const out = join(dir, 'report.csv');
    // Yesterday to tomorrow in UTC holds today in every store's own time zone, whatever the hour.
    const dayOf = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [dayOf(-1), dayOf(1)];
    const run = await cli(['report', '--from', from, '--to', to, '--region', 'South China', '--out', out]);
    expect(run.requests).toEqual([
      `GET /api/v1/reports/availability?from=${from}&to=${to}&format=csv&region=South+China`,
    ]);
    expect(run.code, run.err).toBe(0);
    expect(run.out).toMatch(/^report written to .*report\.csv \(\d+ bytes\)\n$/);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    // The one store of the region, with the failover the operator confirmed above.
    expect(rows.map((r) => [r.store, r.region, r.failovers, r.failovers_completed])).toEqual([
      ['cli-gz', 'South China', '1', '1'],
    ]);
    const json = await cli(['report', '--from', from, '--to', to, '--format', 'json']);
    expect(json.code, json.err).toBe(0);
    const ids = (JSON.parse(json.out) as { stores: Array<{ id: string }> }).stores.map((s) => s.id).sort();
    expect(ids).toEqual(['cli-bj', 'cli-gz', 'cli-sh']);
    const nowhere = await cli(['report', '--from', from, '--to', to, '--region', 'Atlantis']);
    expect(nowhere.code).toBe(1);
    expect(nowhere.err).toMatch(
      /^mirrorwatch: the server rejected the request \(400\): region "Atlantis" has no store/,
    );
  });

  it('keys: the same keys the worker derives, from the masters in the environment', async () => {
    const env = { WEBHOOK_SECRET: stack.secrets.WEBHOOK_SECRET, HOOK_SECRET: stack.secrets.HOOK_SECRET };
    const run = await runCliWith(['keys', 'cli-gz', 'cli-gz-a'], { env });
    const [action] = await deriveKeys(stack.secrets.WEBHOOK_SECRET, 'cli-gz', 'cli-gz-a');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`MIRRORWATCH_ACTION_KEY=${action}`);
    const bad = await runCliWith(['keys', 'cli-gz'], { env });
    expect([bad.code, bad.err.startsWith('mirrorwatch keys: ')]).toEqual([2, true]);
  });
});

describe('the mirrorwatch bin', () => {
  const bin = resolve('bin/mirrorwatch.mjs');
  const exec = async (node: string, args: string[], env: Record<string, string> = {}) => {
    try {
      const { stdout, stderr } = await promisify(execFile)(node, [bin, ...args], { env: { ...process.env, ...env } });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const failed = e as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  it('runs under this Node and under the system Node 20 (re-run on the package Node 22)', async () => {
    const env = { MIRRORWATCH_URL: stack.base, MIRRORWATCH_TOKEN: stack.secrets.VIEWER_TOKEN, LANG: 'C' };
    for (const node of [process.execPath, '/usr/bin/node']) {
      const run = await exec(node, ['status'], env);
      expect([run.code, run.stderr], node).toEqual([0, '']);
      expect(run.stdout).toMatch(/^STORE\s+STATUS/);
    }
  });

  it('passes exit codes through: 2 for usage, 3 for a server that does not answer', async () => {
    for (const node of [process.execPath, '/usr/bin/node']) {
      expect((await exec(node, ['bogus'])).code).toBe(2);
      const down = await exec(node, ['status', '--url', `http://127.0.0.1:${await freePort()}`, '--token', 't']);
      expect(down.code).toBe(3);
      expect(down.stderr).toMatch(/^mirrorwatch: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    }
  });
});
