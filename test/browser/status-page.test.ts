/**
 * The public status page in real Chromium, served by the worker under wrangler dev for a simulated
 * fleet: screenshots at desktop and phone width (test-artifacts/), no console errors, nothing
 * wider than the phone's screen, and the page readable without colour.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchPlain } from '#harness/chromium.ts';
import { waitFor } from '#harness/live-worker.ts';
import { type SimStack, simStore, startSimStack } from '#harness/sim-stack.ts';

let stack: SimStack;
let browser: Browser;

beforeAll(async () => {
  stack = await startSimStack(
    [
      simStore('sp-tianhe', 'Guangzhou Tianhe', 'South China', 'auto'),
      simStore('sp-futian', 'Shenzhen Futian', 'South China', 'auto'),
      simStore('sp-xujiahui', 'Shanghai Xujiahui', 'East China', 'manual'),
      simStore('sp-wangfujing', 'Beijing Wangfujing', 'North China', 'auto'),
    ],
    { intervalSeconds: 1, timeoutMs: 1000, failover: { mode: 'off', thresholdSeconds: 5 } },
  );
  browser = await launchPlain();
  await stack.control.inject('sp-xujiahui', 'crash');
  // Wait until the worker shows the outage, so the screenshots have something to show.
  const crashedStatus = async () => {
    const body = (await (await fetch(`${stack.base}/api/v1/public/status`)).json()) as {
      stores: Array<{ id: string; status: string }>;
    };
    return body.stores.find((s) => s.id === 'sp-xujiahui')?.status;
  };
  await waitFor(
    'the crashed store shows its outage',
    crashedStatus,
    (s) => s === 'primary_down' || s === 'awaiting_confirm',
    60_000,
  );
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
}, 60_000);

describe('the public status page in Chromium', () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 900 }],
    ['phone', { width: 375, height: 740 }],
  ] as const) {
    it(`renders at ${name} width without console errors or overflow`, async () => {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${stack.base}/status`);
      expect(res?.status()).toBe(200);
      await page.screenshot({ path: artifact(`status-page-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      const body = await page.locator('body').textContent();
      expect(body).toContain('Shanghai Xujiahui');
      expect(body).toMatch(/Outage/);
      expect(body).toContain('1 of 4 stores need attention.');
      expect(await page.locator('h2').allInnerTexts()).toEqual(
        expect.arrayContaining(['South China', 'East China', 'North China', 'Recent incidents']),
      );
      await page.close();
    });
  }
});
