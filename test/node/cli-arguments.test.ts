/**
 * Bad command lines: a one-line error in the user's language, exit 2, and not a single request sent
 * (the fake fetch refuses any). Connection settings: flags over environment over a profile file, and
 * a profile file other users can read is refused.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConnection } from '#cli/connection.ts';
import { runCliWith } from '#test/support/cli-io.ts';

const SERVER = { MIRRORWATCH_URL: 'http://127.0.0.1:9', MIRRORWATCH_TOKEN: 't' };

describe('bad command lines', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['an unknown subcommand', ['config', 'push', 'f.yaml'], /unknown command "config push"/],
    ['an unknown option', ['status', '--colour'], /unknown option --colour/],
    ['an option without its value', ['failover', 'gz-a', '--reason'], /--reason needs a value/],
    ['a flag given a value', ['status', '--json=yes'], /Option '--json' does not take an argument/],
    ['an option the command does not take', ['status', '--reason', 'x'], /status does not take --reason/],
    ['a failover without a reason', ['failover', 'gz-a'], /failover needs --reason/],
    ['a failover without a store', ['failover', '--reason', 'x'], /failover needs <store>/],
    ['a store id that is not one', ['events', 'GZ/../x'], /"GZ\/..\/x" is not a store or node id/],
    ['an extra argument', ['status', 'gz-a'], /unexpected argument "gz-a"/],
    ['a limit out of range', ['events', 'gz-a', '--limit', '0'], /--limit must be a whole number from 1 to 1000/],
    ['an unknown event type', ['events', 'gz-a', '--type', 'status,bogus'], /--type must be one of status, config/],
    ['a time that is not one', ['events', 'gz-a', '--since', 'yesterday'], /--since must be an ISO date/],
    [
      'maintenance with neither length nor end',
      ['maintenance', 'start', 'gz-a', '--reason', 'r'],
      /--minutes N \| --until ISO/,
    ],
    [
      'maintenance with both',
      ['maintenance', 'start', 'gz-a', '--reason', 'r', '--minutes', '5', '--until', '2030-01-01'],
      /--minutes N/,
    ],
    ['a report without a period', ['report', '--to', '2026-11-30'], /report needs --from/],
    [
      'a report format nobody serves',
      ['report', '--from', '2026-11-01', '--to', '2026-11-30', '--format', 'xlsx'],
      /--format must be one of csv, json/,
    ],
    ['reinstate without its node', ['reinstate', 'gz-a', '--reason', 'r'], /reinstate needs <node>/],
    ['a language the CLI does not speak', ['status', '--lang', 'fr'], /--lang must be en or zh-CN/],
  ];
  for (const [what, argv, message] of cases) {
    it(`${what}: exit 2, one line that says what is wrong, nothing sent`, async () => {
      const run = await runCliWith(argv, { env: SERVER });
      expect(run.code).toBe(2);
      expect(run.err).toMatch(message);
      expect(run.err.trim().split('\n')).toHaveLength(2); // the error, then where usage is
      expect(run.requests).toEqual([]);
      expect(run.out).toBe('');
    });
  }

  it('says it in Chinese under a Chinese locale or --lang zh-CN', async () => {
    const byLocale = await runCliWith(['failover', 'gz-a'], { env: { ...SERVER, LANG: 'zh_CN.UTF-8' } });
    expect(byLocale.err).toContain('mirrorwatch：failover 需要 --reason');
    const badOption = await runCliWith(['status', '--colour'], { env: { ...SERVER, LANG: 'zh_CN.UTF-8' } });
    expect(badOption.err).toBe("mirrorwatch：未知选项 --colour\n运行 'mirrorwatch --help' 查看用法\n");
    const byFlag = await runCliWith(['--lang', 'zh-CN', 'bogus'], { env: SERVER });
    expect(byFlag.err).toContain('未知命令“bogus”');
    expect(byFlag.code).toBe(2);
  });

  it('--help prints the usage in the chosen language with exit 0; no command at all is exit 2', async () => {
    const help = await runCliWith(['--help', '--lang', 'zh-CN']);
    expect([help.code, help.out.split('\n')[0]]).toEqual([0, '用法：mirrorwatch <命令> [选项]']);
    expect((await runCliWith([])).code).toBe(2);
  });

  it('config apply from a script without --yes refuses before asking the server anything', async () => {
    const run = await runCliWith(['config', 'apply', 'docs/fleet.example.yaml'], { env: SERVER });
    expect([run.code, run.requests]).toEqual([2, []]);
    expect(run.err).toContain('pass --yes');
  });
});

describe('connection settings', () => {
  const profiles = (mode: number, body: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-cli-'));
    const file = join(dir, 'profiles.json');
    writeFileSync(file, JSON.stringify(body));
    chmodSync(file, mode);
    return file;
  };
  const FILE_BODY = {
    default: 'prod',
    profiles: { prod: { url: 'https://prod.example/', token: 'p' }, lab: { url: 'http://lab.example', token: 'l' } },
  };

  it('takes flags over the environment over the profile file', () => {
    const file = profiles(0o600, FILE_BODY);
    const env = { MIRRORWATCH_PROFILES: file };
    expect(resolveConnection({}, env, '/')).toEqual({ url: 'https://prod.example', token: 'p' });
    expect(resolveConnection({ profile: 'lab' }, env, '/')).toEqual({ url: 'http://lab.example', token: 'l' });
    expect(resolveConnection({}, { ...env, MIRRORWATCH_TOKEN: 'e' }, '/')).toEqual({
      url: 'https://prod.example',
      token: 'e',
    });
    expect(resolveConnection({ token: 'f' }, { ...env, MIRRORWATCH_TOKEN: 'e' }, '/').token).toBe('f');
  });

  it('refuses a profile file others can read, and says the chmod that fixes it (exit 3)', async () => {
    const file = profiles(0o644, FILE_BODY);
    const run = await runCliWith(['status'], { env: { MIRRORWATCH_PROFILES: file } });
    expect(run.code).toBe(3);
    expect(run.err).toContain(`can be read by other users (mode 644): run chmod 600 ${file}`);
    expect(run.requests).toEqual([]);
  });

  it('names a missing profile, a broken file, and a missing URL or token (exit 3, nothing sent)', async () => {
    const good = profiles(0o600, FILE_BODY);
    const missing = await runCliWith(['status', '--profile', 'staging'], { env: { MIRRORWATCH_PROFILES: good } });
    expect(missing.err).toContain(`no profile "staging" in ${good}`);
    const broken = profiles(0o600, { profiles: { prod: { url: 1 } } });
    expect((await runCliWith(['status'], { env: { MIRRORWATCH_PROFILES: broken } })).err).toContain(
      'is not a valid profile file',
    );
    const none = await runCliWith(['status'], { home: '/nonexistent' });
    expect([none.code, none.requests.length]).toEqual([3, 0]);
    expect(none.err).toContain('no server URL: pass --url, set MIRRORWATCH_URL');
    const noToken = await runCliWith(['status', '--url', 'http://127.0.0.1:9'], { home: '/nonexistent' });
    expect(noToken.err).toContain('no token: pass --token');
  });

  it('a server that does not answer is exit 3 with the URL in the message', async () => {
    const run = await runCliWith(['status'], {
      env: SERVER,
      fetch: async () => {
        throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
      },
    });
    expect(run.code).toBe(3);
    expect(run.err).toBe(
      'mirrorwatch: cannot reach http://127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9; check --url and that the worker is running\n',
    );
  });
});

describe('colour', () => {
  const store = {
    id: 'gz-a',
    name: 'GZ',
    region: null,
    status: 'healthy',
    since: '2026-11-21T05:00:00.000Z',
    primary: 'gz-a-a',
    epoch: 1,
    lagSeconds: 0.2,
    nodes: [],
    arbiter: null,
    reasons: [],
    lastFailover: null,
    checkedAt: null,
  };
  const fetch: typeof globalThis.fetch = async () => new Response(JSON.stringify({ stores: [store] }));
  const GREEN = '\u001b[32mhealthy\u001b[0m';

  it('is on for a terminal, off for a pipe, NO_COLOR or --no-color', async () => {
    expect((await runCliWith(['status'], { env: SERVER, fetch, tty: true })).out).toContain(GREEN);
    expect((await runCliWith(['status'], { env: SERVER, fetch })).out).not.toContain('\u001b');
    expect((await runCliWith(['status'], { env: { ...SERVER, NO_COLOR: '1' }, fetch, tty: true })).out).not.toContain(
      '\u001b',
    );
    expect((await runCliWith(['status', '--no-color'], { env: SERVER, fetch, tty: true })).out).not.toContain('\u001b');
  });

  it('--watch --json prints one JSON line per refresh, never a screen clear', async () => {
    const run = await runCliWith(['status', '--watch', '--json'], { env: SERVER, fetch, tty: true, refreshes: 1 });
    const lines = run.out.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { stores: unknown[] }).stores.length)).toEqual([1, 1]);
  });
});
