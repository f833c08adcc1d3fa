/**
 * The extension measured in Debian's Chromium against the worker and the simulated fleet: time
 * from a store's status change leaving the worker (the moment a stream client in this process
 * receives it) to the toolbar badge changing, and the gzipped size of what the popup and the
 * background load.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { controlClient } from '../../agent/sim/control-client.ts';
import { fleetConfigFor } from '../../agent/sim/demo-fleet.ts';
import { FleetSim } from '../../agent/sim/fleet-sim.ts';
import { startSimServer } from '../../agent/sim/server.ts';
import { launchWithExtension } from '../../test/support/chromium.ts';
import { freePort } from '../../test/support/pg-cluster.ts';
import { putConfig, startWorker, waitForWorker } from '../demo/stack.ts';
import { benchSpecs } from './failover-time.ts';

const OUT = resolve('extension/.output/chrome-mv3');

/** Gzipped bytes of a script and every chunk it imports, as the browser would load them. */
export function loadedGzipBytes(entry: string, seen = new Set<string>()): number {
  if (seen.has(entry)) return 0;
  seen.add(entry);
  const code = readFileSync(entry);
  let total = gzipSync(code, { level: 9 }).length;
  for (const m of code.toString().matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+\.js)"/g)) {
    if (m[1]) total += loadedGzipBytes(join(dirname(entry), m[1]), seen);
  }
  return total;
}

export function bundleSizes(): { popup: number; background: number } {
  const html = readFileSync(join(OUT, 'popup.html'), 'utf8');
  const src = /<script[^>]+src="\/([^"]+)"/.exec(html)?.[1];
  if (!src) throw new Error('popup.html loads no script');
  return { popup: loadedGzipBytes(join(OUT, src)), background: loadedGzipBytes(join(OUT, 'background.js')) };
}

export async function measureBadgeLatency(runs: number): Promise<number[]> {
  await promisify(execFile)(process.execPath, [resolve('node_modules/wxt/bin/wxt.mjs'), 'build', 'extension']);
  const secret = () => randomBytes(18).toString('base64url');
  const secrets = {
    ADMIN_TOKEN: secret(),
    OPERATOR_TOKEN: secret(),
    VIEWER_TOKEN: secret(),
    WEBHOOK_SECRET: secret(),
    HOOK_SECRET: secret(),
  };
  const specs = benchSpecs('badge', 1);
  const controlToken = secret();
  const sim = await startSimServer({
    sim: new FleetSim(specs, { log: () => undefined }),
    webhookSecret: secrets.WEBHOOK_SECRET,
    controlToken,
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
  });
  const state = mkdtempSync(join(tmpdir(), 'mirrorwatch-badge-'));
  const worker = startWorker({ port: await freePort(), persistTo: state, secrets, log: () => undefined });
  const context = await launchWithExtension(OUT);
  try {
    await waitForWorker(worker.base);
    const config = fleetConfigFor(specs, sim.url);
    config.defaults = { intervalSeconds: 1, timeoutMs: 1000, failover: { mode: 'off' } };
    await putConfig(worker.base, secrets.ADMIN_TOKEN, config);
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await sw.evaluate(
      ([serverUrl, token]) =>
        chrome.storage.local.set({
          settings: {
            serverUrl,
            token,
            watch: { stores: [], regions: [] },
            notify: { red: false, awaiting: false, failover: false },
          },
          settings$: { v: 2 },
        }),
      [worker.base, secrets.VIEWER_TOKEN],
    );
    const badgeText = () => sw.evaluate(() => chrome.action.getBadgeText({}));
    const badgeColor = () => sw.evaluate(async () => (await chrome.action.getBadgeBackgroundColor({})).join());

    // A stream client here sees the moment the worker pushes the change.
    const seen: Array<{ at: number; status: string }> = [];
    const ws = new WebSocket(`${worker.base.replace('http', 'ws')}/api/v1/stream`, [
      'mirrorwatch.v1',
      `mirrorwatch.bearer.${secrets.VIEWER_TOKEN}`,
    ]);
    ws.addEventListener('message', (e) => {
      const m = JSON.parse(String(e.data)) as { type: string; store?: { status: string } };
      if (m.type === 'store' && m.store) seen.push({ at: Date.now(), status: m.store.status });
    });
    const until = async (what: string, done: () => Promise<boolean>, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error(`badge bench: ${what} not within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      return Date.now();
    };
    await until('badge green', async () => (await badgeText()) === 'OK');
    const control = controlClient(sim.url, controlToken);
    const id = specs[0]?.id ?? '';
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const [fault, status] of [
        ['lag', 'degraded'],
        ['reset', 'healthy'],
      ] as const) {
        const before = await badgeColor();
        const from = seen.length;
        await control.inject(id, fault, fault === 'lag' ? { seconds: 45 } : {});
        const changedAt = await until('badge change', async () => (await badgeColor()) !== before);
        const pushed = seen.slice(from).find((s) => s.status === status);
        if (!pushed) throw new Error(`badge bench: the stream never pushed ${status}`);
        samples.push(changedAt - pushed.at);
      }
    }
    ws.close();
    return samples;
  } finally {
    await context.close();
    worker.stop();
    await sim.close();
    rmSync(state, { recursive: true, force: true });
  }
}
