/**
 * The extension measured in Debian's Chromium against the worker and the simulated fleet: time
 * from a store's status change leaving the worker (the moment a stream client in this process
 * receives it) to the toolbar badge changing, and the gzipped size of what the popup and the
 * background load.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { launchWithExtension } from '#harness/chromium.ts';
import { startSimStack } from '#harness/sim-stack.ts';
import { ServerMessage } from '#shared/schemas/stream.ts';
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
  const specs = benchSpecs('badge', 1);
  const stack = await startSimStack(specs, { intervalSeconds: 1, timeoutMs: 1000, failover: { mode: 'off' } });
  const context = await launchWithExtension(OUT);
  try {
    const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // Configure it as a person would, through the options page (the permission prompt answered).
    const options = await context.newPage();
    await options.addInitScript(() => {
      chrome.permissions.request = () => Promise.resolve(true);
    });
    await options.goto(`chrome-extension://${new URL(sw.url()).host}/options.html`);
    await options.fill('#server', stack.base);
    await options.fill('#token', stack.secrets.VIEWER_TOKEN);
    await options.getByRole('button', { name: /save/i }).click();
    await options.getByText('Saved.').waitFor({ timeout: 15_000 });
    await options.close();
    const badgeText = () => sw.evaluate(() => chrome.action.getBadgeText({}));
    const badgeColor = () => sw.evaluate(async () => (await chrome.action.getBadgeBackgroundColor({})).join());

    // A stream client here sees the moment the worker pushes the change.
    const seen: Array<{ at: number; status: string }> = [];
    const ws = new WebSocket(`${stack.base.replace('http', 'ws')}/api/v1/stream`, [
      'mirrorwatch.v1',
      `mirrorwatch.bearer.${stack.secrets.VIEWER_TOKEN}`,
    ]);
    ws.addEventListener('message', (e) => {
      const m = ServerMessage.parse(JSON.parse(String(e.data)));
      if (m.type === 'store') seen.push({ at: Date.now(), status: m.store.status });
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
    const control = stack.control;
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
    await stack.close();
  }
}
