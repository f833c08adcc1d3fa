import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const out = mkdtempSync(join(tmpdir(), 'mirrorwatch-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the deploy bundle', () => {
  it('wrangler builds the worker for deployment, with both Durable Object classes exported', async () => {
    await run('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], { env: { ...process.env, CI: 'true' } });
    const main = readdirSync(out).find((f) => f.endsWith('.js'));
    expect(main, `no .js bundle in ${readdirSync(out).join(', ')}`).toBeDefined();
    const code = readFileSync(join(out, main ?? ''), 'utf8');
    expect(code).toMatch(/export\s*\{[^}]*\bFleet\b/);
    expect(code).toMatch(/export\s*\{[^}]*\bStoreMonitor\b/);
  }, 120_000);
});
