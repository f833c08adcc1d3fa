/**
 * The public status page in real Chromium, served by the worker under wrangler dev for a simulated
 * fleet: the favicon follows the worst status; screenshots at desktop and phone width, light and
 * dark, in English and in Chinese (test-artifacts/); no console errors, nothing wider than the screen, no figure or date that
 * wraps, every status pill readable (WCAG AA), and the page readable without colour.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchPlain } from '#harness/chromium.ts';
import { waitFor } from '#harness/live-worker.ts';
import { horizontalOverflow, pillContrasts, wrappedFigures } from '#harness/page-checks.ts';
import { type SimStack, simStore, startSimStack } from '#harness/sim-stack.ts';
import { LIGHT } from '#shared/design/tokens.ts';

let stack: SimStack;
let browser: Browser;

const publicStatuses = async () => {
  const body = (await (await fetch(`${stack.base}/api/v1/public/status`)).json()) as {
    stores: Array<{ id: string; status: string }>;
  };
  return body.stores;
};

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
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
}, 60_000);

async function favicon(): Promise<{ tone: string | null; href: string | null }> {
  const page = await browser.newPage();
  await page.goto(`${stack.base}/status`);
  const icon = page.locator('link[rel="icon"]');
  const found = { tone: await icon.getAttribute('data-tone'), href: await icon.getAttribute('href') };
  await page.close();
  return found;
}

describe('the public status page in Chromium', () => {
  it('the favicon follows the worst status: green while all is well, red once a store is out', async () => {
    await waitFor('every store operational', publicStatuses, (all) => all.every((s) => s.status === 'healthy'), 60_000);
    const fine = await favicon();
    expect(fine.tone).toBe('ok');
    expect(decodeURIComponent(fine.href ?? '')).toContain(LIGHT.tones.ok.solid);

    await stack.control.inject('sp-xujiahui', 'crash');
    await waitFor(
      'the crashed store shows its outage',
      publicStatuses,
      (all) => ['primary_down', 'awaiting_confirm'].includes(all.find((s) => s.id === 'sp-xujiahui')?.status ?? ''),
      60_000,
    );
    // The page is cached at the edge for a few seconds: it follows within that.
    const out = await waitFor('the favicon turns red', favicon, (f) => f.tone === 'bad', 30_000);
    expect(decodeURIComponent(out.href ?? '')).toContain(LIGHT.tones.bad.solid);
  });

  /** What each language's page must say: the banner, an outage pill, the region headings. */
  const WORDS = {
    en: { banner: '1 of 4 stores need attention.', outage: /Outage/, incidents: 'Recent incidents' },
    'zh-CN': { banner: '4 家门店中有 1 家需要关注。', outage: /服务中断/, incidents: '近期事件' },
  };
  for (const [name, viewport, colorScheme, lang] of [
    ['desktop', { width: 1280, height: 900 }, 'light', 'en'],
    ['phone', { width: 390, height: 844 }, 'light', 'en'],
    ['dark', { width: 1280, height: 900 }, 'dark', 'en'],
    ['phone-dark', { width: 390, height: 844 }, 'dark', 'en'],
    ['desktop-zh', { width: 1280, height: 900 }, 'light', 'zh-CN'],
    ['phone-zh', { width: 390, height: 844 }, 'light', 'zh-CN'],
    ['phone-dark-zh', { width: 390, height: 844 }, 'dark', 'zh-CN'],
  ] as const) {
    it(`renders at ${name} without console errors, overflow, wrapped figures or weak pills`, async () => {
      // The language comes from the browser's Accept-Language, as it would for a reader in China.
      const page = await browser.newPage({ viewport, colorScheme, locale: lang });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      const res = await page.goto(`${stack.base}/status`);
      expect(res?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe(lang);
      await page.screenshot({ path: artifact(`status-page-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(await horizontalOverflow(page)).toBe(0);
      expect(await wrappedFigures(page)).toEqual([]);
      const pills = await pillContrasts(page);
      expect(pills.length).toBeGreaterThanOrEqual(4);
      for (const pill of pills)
        expect(pill, `${pill.text} in ${colorScheme}`).toMatchObject({ ratio: expect.any(Number) });
      expect(pills.filter((p) => p.ratio < 4.5)).toEqual([]);
      const banner = page.locator('.banner');
      expect(await banner.textContent()).toContain(WORDS[lang].banner);
      expect(await banner.getAttribute('class')).toContain('bad');
      const body = await page.locator('body').textContent();
      expect(body).toContain('Shanghai Xujiahui');
      expect(body).toMatch(WORDS[lang].outage);
      expect(await page.locator('h2').allInnerTexts()).toEqual(
        expect.arrayContaining(['South China', 'East China', 'North China', WORDS[lang].incidents]),
      );
      await page.close();
    });
  }
});
