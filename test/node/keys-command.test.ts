import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runKeysCommand } from '#scripts/keys/keys-command.ts';

/** The contract's formula, computed independently of shared/keys.ts. */
const key = (master: string, store: string, principal: string) =>
  createHmac('sha256', master).update(`mirrorwatch-key/v2\n${store}\n${principal}`).digest('hex');

const env = { WEBHOOK_SECRET: 'wh-master', HOOK_SECRET: 'hook-master' };

describe('npm run keys', () => {
  it('prints a node its action key and its push key, labelled, and nothing else', async () => {
    const out = await runKeysCommand(['gz-tianhe', 'gz-tianhe-b'], env, null);
    expect(out).toEqual({
      code: 0,
      stdout:
        `MIRRORWATCH_ACTION_KEY=${key('wh-master', 'gz-tianhe', 'gz-tianhe-b')}\n` +
        `MIRRORWATCH_PUSH_KEY=${key('hook-master', 'gz-tianhe', 'gz-tianhe-b')}\n`,
      stderr: '',
    });
    expect(out.stdout).not.toContain('master');
  });

  it('prints an arbiter, the store hook and a job only their HOOK_SECRET keys', async () => {
    expect((await runKeysCommand(['gz-tianhe', 'arbiter'], env, null)).stdout).toBe(
      `MIRRORWATCH_PUSH_KEY=${key('hook-master', 'gz-tianhe', 'arbiter')}\n`,
    );
    expect((await runKeysCommand(['gz-tianhe', 'hook'], env, null)).stdout).toBe(
      `MIRRORWATCH_HOOK_KEY=${key('hook-master', 'gz-tianhe', 'hook')}\n`,
    );
    expect((await runKeysCommand(['gz-tianhe', 'job:nightly'], env, null)).stdout).toBe(
      `MIRRORWATCH_JOB_KEY=${key('hook-master', 'gz-tianhe', 'job:nightly')}\n`,
    );
  });

  it('lists one key per master value while a master is rotated, in its order, and --json', async () => {
    const out = await runKeysCommand(['--json', 's1', 'n1'], { WEBHOOK_SECRET: 'new, old', HOOK_SECRET: 'h' }, null);
    expect(JSON.parse(out.stdout)).toEqual({
      MIRRORWATCH_ACTION_KEY: `${key('new', 's1', 'n1')},${key('old', 's1', 'n1')}`,
      MIRRORWATCH_PUSH_KEY: key('h', 's1', 'n1'),
    });
  });

  it('reads the masters from .dev.vars when the environment lacks them; the environment wins', async () => {
    const devVars = { WEBHOOK_SECRET: 'file-wh', HOOK_SECRET: 'file-hook' };
    const out = await runKeysCommand(['s1', 'n1'], { HOOK_SECRET: 'env-hook' }, devVars);
    expect(out.stdout).toBe(
      `MIRRORWATCH_ACTION_KEY=${key('file-wh', 's1', 'n1')}\nMIRRORWATCH_PUSH_KEY=${key('env-hook', 's1', 'n1')}\n`,
    );
  });

  it.each([
    [[], 'expected a store and a principal'],
    [['s1'], 'expected a store and a principal'],
    [['s1', 'n1', 'n2'], 'expected a store and a principal'],
    [['S1', 'n1'], 'store id "S1"'],
    [['s1', 'Node A'], 'neither a node id'],
    [['s1', 'job:'], 'job id ""'],
    [['s1', 'n1', '--yaml'], 'unknown option --yaml'],
  ])('refuses %j with a usage error and prints no key', async (argv, words) => {
    const out = await runKeysCommand(argv, env, null);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toContain(words);
    expect(out.stderr).toContain('usage: npm run keys');
  });

  it('names the missing master instead of printing an empty key', async () => {
    const out = await runKeysCommand(['s1', 'n1'], { WEBHOOK_SECRET: 'w' }, null);
    expect(out).toMatchObject({ code: 1, stdout: '' });
    expect(out.stderr).toContain('HOOK_SECRET is not set');
  });

  it('runs as a command in a directory with a .dev.vars', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrorwatch-keys-'));
    writeFileSync(join(dir, '.dev.vars'), 'WEBHOOK_SECRET="dv-wh"\nHOOK_SECRET="dv-hook"\n');
    const script = fileURLToPath(new URL('../../scripts/keys.ts', import.meta.url));
    const { WEBHOOK_SECRET: _w, HOOK_SECRET: _h, ...rest } = process.env;
    const run = spawnSync(process.execPath, [script, 'gz', 'arbiter'], { cwd: dir, env: rest, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`MIRRORWATCH_PUSH_KEY=${key('dv-hook', 'gz', 'arbiter')}\n`);
    expect(run.status).toBe(0);
  });
});
