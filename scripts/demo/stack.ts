/**
 * The local stack shared by `npm start` and `npm run bench`: the worker under `wrangler dev`, run by
 * this Node directly (no npx shell in between) in its own process group so it can be stopped with
 * its workerd children, plus the two calls every script needs (wait until up, push a config).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Worker {
  base: string;
  process: ChildProcess;
  stop(): void;
}

export function startWorker(options: { port: number; persistTo?: string; log: (line: string) => void }): Worker {
  const bin = fileURLToPath(new URL('../../node_modules/wrangler/bin/wrangler.js', import.meta.url));
  const args = [
    bin,
    'dev',
    '--port',
    String(options.port),
    '--ip',
    '127.0.0.1',
    '--show-interactive-dev-session=false',
  ];
  if (options.persistTo) args.push('--persist-to', options.persistTo);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
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
