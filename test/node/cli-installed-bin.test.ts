/**
 * The `mirrorwatch` bin as an install lays it out: the package copied under node_modules (where Node
 * refuses to strip TypeScript types itself) with its dependencies (not its dev dependencies) beside it, run by this Node 22 and
 * by the system Node 20.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const project = mkdtempSync(join(tmpdir(), 'mirrorwatch-install-'));
const pkg = join(project, 'node_modules', 'mirrorwatch');
mkdirSync(pkg, { recursive: true });
for (const part of ['package.json', 'bin', 'cli', 'shared', 'scripts', 'agent', 'docs'])
  cpSync(resolve(part), join(pkg, part), { recursive: true });
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string>>;
for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
  symlinkSync(resolve('node_modules', dep), join(project, 'node_modules', dep), 'dir');

afterAll(() => rmSync(project, { recursive: true, force: true }));

async function run(node: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, [join(pkg, 'bin/mirrorwatch.mjs'), ...args], {
      cwd: project,
      env: { ...process.env, LANG: 'C' },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the installed mirrorwatch bin', () => {
  for (const node of [process.execPath, '/usr/bin/node']) {
    it(`validates a config offline and passes exit codes through (${node})`, async () => {
      const ok = await run(node, ['config', 'validate', join(pkg, 'docs/fleet.example.yaml')]);
      expect([ok.code, ok.stderr]).toEqual([0, '']);
      expect(ok.stdout).toMatch(/valid \(3 store\(s\)\)\n$/);
      const usage = await run(node, ['--lang', 'zh-CN', 'bogus']);
      expect([usage.code, usage.stderr.split('\n')[0]]).toEqual([2, 'mirrorwatch：未知命令“bogus”']);
    });
  }
});
