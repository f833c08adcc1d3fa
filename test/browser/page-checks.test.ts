/**
 * The page checks the browser tests rely on, proven able to fail: each is shown a page with the
 * fault it looks for, in real Chromium, and a page without it.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchPlain } from '#harness/chromium.ts';
import { aboveTheFold, horizontalOverflow, pillContrasts, rawIsoTime, wrappedFigures } from '#harness/page-checks.ts';

let browser: Browser;

beforeAll(async () => {
  browser = await launchPlain();
});

afterAll(async () => {
  await browser?.close();
});

async function page(body: string): Promise<Page> {
  const p = await browser.newPage({ viewport: { width: 400, height: 600 } });
  await p.setContent(`<!doctype html><html><body style="margin:0;font:14px/1.5 sans-serif">${body}</body></html>`);
  return p;
}

it('overflow: a box wider than the screen is found, a fitting one is not', async () => {
  expect(await horizontalOverflow(await page('<div style="width:520px">wide</div>'))).toBe(120);
  expect(await horizontalOverflow(await page('<div style="width:400px">fits</div>'))).toBe(0);
});

it('wrapped figures: an inline figure or a pill over two lines is found', async () => {
  const narrow = await page(
    '<p style="width:60px"><span class="figure">4 min 10 s left</span></p><span class="pill" style="display:inline-block;width:40px">No data yet</span><p><span class="figure" style="white-space:nowrap">100.00 %</span></p>',
  );
  expect(await wrappedFigures(narrow)).toEqual(['4 min 10 s left', 'No data yet']);
});

it('contrast: a weak pill is measured as weak, a strong one as strong', async () => {
  const p = await page(
    '<span class="pill" style="color:#ffffff;background:#3fb950">Weak</span><span class="pill" style="color:#0f5323;background:#dafbe1">Strong</span>',
  );
  const [weak, strong] = await pillContrasts(p);
  expect(weak?.ratio).toBeLessThan(4.5);
  expect(strong?.ratio).toBeGreaterThanOrEqual(4.5);
});

it('raw ISO times and the fold', async () => {
  const p = await page('<p>since 2026-11-21T08:00:00.000Z</p><div style="height:700px"></div><button>Confirm</button>');
  expect(await rawIsoTime(p)).toBe('2026-11-21T08:00');
  expect(await aboveTheFold(p, p.getByRole('button', { name: 'Confirm' }))).toBe(false);
  const q = await page('<p>for 2 min</p><button>Confirm</button>');
  expect(await rawIsoTime(q)).toBeNull();
  expect(await aboveTheFold(q, q.getByRole('button', { name: 'Confirm' }))).toBe(true);
});
