/**
 * First step of `npm test`: makes sure the system parts the suite drives for real are present —
 * Debian's Chromium (browser tier) and the PostgreSQL server binaries (agent and e2e tiers). As
 * root with apt-get (this project's machines and CI) it installs what is missing; elsewhere it
 * stops before anything runs and prints the one command to type. `CHROMIUM_PATH` and `PG_BIN`
 * point at other installs, as the harness itself reads them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

interface Need {
  what: string;
  debianPackage: string;
  present: () => boolean;
}

const PG_ROOT = '/usr/lib/postgresql';

function pgPresent(): boolean {
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb'));
  if (!existsSync(PG_ROOT)) return false;
  return readdirSync(PG_ROOT).some((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')));
}

const needs: Need[] = [
  {
    what: 'Chromium (browser tests)',
    debianPackage: 'chromium',
    present: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
  },
  { what: 'PostgreSQL server (agent and end-to-end tests)', debianPackage: 'postgresql', present: pgPresent },
  {
    // Without it the Chinese status page and popup render as boxes, and their screenshots prove nothing.
    what: 'A Chinese font (zh-CN screenshots)',
    debianPackage: 'fonts-noto-cjk',
    present: () => spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout?.trim().length > 0,
  },
];

const missing = needs.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((n) => n.debianPackage);
const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
const isRoot = process.getuid?.() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;

if (!isRoot || !hasApt) {
  console.error(`npm test needs ${missing.map((n) => n.what).join(' and ')}, which this machine lacks.`);
  console.error(
    hasApt
      ? `Install with: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`
      : `Install the packages ${packages.join(', ')} with your system's package manager (or set CHROMIUM_PATH / PG_BIN).`,
  );
  process.exit(1);
}

console.log(`== installing ${packages.join(', ')} for the tests (${command})`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', ...packages],
]) {
  const run = spawnSync('apt-get', args, { stdio: 'inherit', env });
  if (run.status !== 0) {
    console.error(`apt-get ${args.join(' ')} failed (exit ${run.status}); install by hand: ${command}`);
    process.exit(1);
  }
}
const still = missing.filter((n) => !n.present());
if (still.length > 0) {
  console.error(`still missing after the install: ${still.map((n) => n.what).join(', ')}`);
  process.exit(1);
}
