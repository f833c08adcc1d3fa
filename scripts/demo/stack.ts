/**
 * The local stack shared by `npm start` and `npm run bench`: the worker under `wrangler dev`, run by
 * this Node directly (no npx shell in between) in its own process group so it can be stopped with
 * its workerd children, plus the two calls every script needs (wait until up, push a config).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Worker {
  base: string;
  process: ChildProcess;
  stop(): void;
}

export interface WorkerOptions {
  port: number;
  /** A fresh state directory (benchmarks, tests); the default is wrangler's own `.wrangler/state`. */
  persistTo?: string;
  /** Secrets for this run only, through a private env file; without it wrangler reads `.dev.vars`. */
  secrets?: Record<string, string>;
  log: (line: string) => void;
}

export function startWorker(options: WorkerOptions): Worker {
  const bin = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
  const args = [bin, 'dev', '--port', String(options.port), '--ip', '127.0.0.1'];
  args.push('--show-interactive-dev-session=false');
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  if (options.secrets) {
    const file = join(mkdtempSync(join(tmpdir(), 'mirrorwatch-secrets-')), 'secrets.env');
    const lines = Object.entries(options.secrets).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
    writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
    args.push('--env-file', file);
  }
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    // No metrics, and no fetch of the `Request.cf` placeholder from workers.cloudflare.com: offline it
    // printed a getaddrinfo ENOTFOUND stack at every (re)load, and the worker reads nothing from it.
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim()) options.log(line);
  };
  child.stdout?.on('data', relay);
  child.stderr?.on('data', relay);
  return {
    base: `http://127.0.0.1:${options.port}`,
    process: child,
    stop() {
      if (child.pid === undefined || child.exitCode !== null) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group is already gone
      }
    },
  };
}

export async function waitForWorker(base: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the worker did not answer ${base}/healthz within ${timeoutMs / 1000} s`);
}

export async function putConfig(base: string, adminToken: string, config: unknown): Promise<void> {
  const res = await fetch(`${base}/api/v1/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });
  if (!res.ok) throw new Error(`PUT /api/v1/config answered ${res.status}: ${await res.text()}`);
}

/** The worker's secrets, as `.dev.vars` or a private env file hands them to `wrangler dev`. */
export const SECRET_NAMES = ['ADMIN_TOKEN', 'OPERATOR_TOKEN', 'VIEWER_TOKEN', 'WEBHOOK_SECRET', 'HOOK_SECRET'] as const;
export type WorkerSecrets = Record<(typeof SECRET_NAMES)[number], string>;

/** Fresh random tokens and secrets for a test or benchmark run (URL-safe, so they fit a subprotocol). */
export function throwawaySecrets(): WorkerSecrets {
  const secret = () => randomBytes(18).toString('base64url');
  return {
    ADMIN_TOKEN: secret(),
    OPERATOR_TOKEN: secret(),
    VIEWER_TOKEN: secret(),
    WEBHOOK_SECRET: secret(),
    HOOK_SECRET: secret(),
  };
}
