/**
 * The built extension in real Chromium against the real worker (wrangler dev) and the simulated
 * fleet: options filled in, the badge goes green; a primary crashes, the badge turns red, then the
 * completed failover is reported, and the store's primary-only job, run on both nodes, shows on the
 * store page as run on the new primary; a manual store is confirmed from the popup; the worker stops
 * and the badge shows a grey "?". Screenshots of the popup and options (light and dark) land in
 * test-artifacts/, and each state is checked as a person would look at it: nothing wider than the
 * popup, readable pills (WCAG AA), names lined up, no raw ISO time, Confirm above the fold.
 *
 * Headless Chromium cannot show the host-permission prompt: one test proves the options page copes
 * with that (it says so and disables nothing); after it, the options page's
 * `chrome.permissions.request` answers "granted" (the API answers CORS preflights, so the
 * extension's requests work the same with or without the permission).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page, Worker as ServiceWorker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchWithExtension } from '#harness/chromium.ts';
import { waitFor } from '#harness/live-worker.ts';
import { aboveTheFold, horizontalOverflow, pillContrasts, rawIsoTime, wrappedFigures } from '#harness/page-checks.ts';
import { type SimStack, simStore, startSimStack } from '#harness/sim-stack.ts';
import { bundleSizes } from '#scripts/bench/extension-latency.ts';
import { DEMO_JOB, runDemoSlot } from '#sim/demo-jobs.ts';

const EXTENSION = resolve('extension/.output/chrome-mv3');

let stack: SimStack;
let context: BrowserContext;
let sw: ServiceWorker;
let extensionId: string;

interface Badge {
  text: string;
  title: string;
  color: number[];
}

const badge = (): Promise<Badge> =>
  sw.evaluate(async () => {
    const c = chrome.action;
    return {
      text: await c.getBadgeText({}),
      title: await c.getTitle({}),
      color: [...(await c.getBadgeBackgroundColor({}))],
    };
  });

/** Polls the real badge until it shows what is expected; the worker probes in real time. */
const badgeUntil = (what: string, done: (b: Badge) => boolean, timeoutMs = 60_000) =>
  waitFor(`badge: ${what}`, badge, done, timeoutMs);

const RED = [197, 34, 31, 255];
const GREEN = [19, 115, 51, 255];

/** The popup at its real size (Chromium caps a popup at 600 px high), in light or dark. */
async function openPopup(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme });
  await page.setViewportSize({ width: 400, height: 600 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

/** What every popup state must be: no overflow, no wrapped figure, AA pills, no raw ISO time. */
async function expectTidy(page: Page, what: string): Promise<void> {
  expect(await horizontalOverflow(page), `${what}: overflow`).toBe(0);
  expect(await wrappedFigures(page), `${what}: wrapped figures`).toEqual([]);
  expect(
    (await pillContrasts(page)).filter((p) => p.ratio < 4.5),
    `${what}: weak pills`,
  ).toEqual([]);
  expect(await rawIsoTime(page), `${what}: raw ISO time`).toBeNull();
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, [resolve('node_modules/wxt/bin/wxt.mjs'), 'build', 'extension'], {
    timeout: 120_000,
  });
  stack = await startSimStack(
    [
      simStore('ext-auto', 'Guangzhou Tianhe', 'South China', 'auto'),
      simStore('ext-manual', 'Beijing Wangfujing', 'North China', 'manual'),
    ],
    { intervalSeconds: 1, timeoutMs: 1000, failover: { mode: 'manual', thresholdSeconds: 5 } },
    // A long grace: the slots this test does not run must not turn the badge.
    { jobs: { 'ext-auto': [{ id: DEMO_JOB.id, name: 'MobiLink sync', schedule: '* * * * *', graceSeconds: 3600 }] } },
  );
  context = await launchWithExtension(EXTENSION);
  sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(sw.url()).host;
}, 180_000);

afterAll(async () => {
  await context?.close();
  await stack?.close();
}, 60_000);

/**
 * The healthy store's page with the manual failover form open, as an operator sees it before acting:
 * screenshot, tidy, and (in Chinese) no English left but the data's own names and the server's texts.
 */
async function storePageWithForm(scheme: 'light' | 'dark', lang: 'en' | 'zh'): Promise<void> {
  const popup = await openPopup(scheme);
  await popup.locator('button.store[data-store="ext-auto"]').click();
  await popup.locator('table.nodes').first().waitFor({ timeout: 15_000 });
  await popup.locator('details.manual summary').click();
  await popup.locator('#failover-reason').waitFor({ timeout: 5_000 });
  const suffix = `${lang === 'zh' ? '-zh' : ''}${scheme === 'dark' ? '-dark' : ''}`;
  await popup.screenshot({ path: artifact(`popup-store-failover-form${suffix}.png`), fullPage: true });
  await expectTidy(popup, `store page with the failover form (${lang}, ${scheme})`);
  if (lang === 'zh') {
    // Everything but the names the data brings (stores, region, nodes, job, time zone) and the
    // server's own texts under a node or a job (.node-error) is the popup's, so it must be Chinese.
    let text = (await popup.locator('body').textContent()) ?? ''; // hidden labels and every <option> included
    for (const server of await popup.locator('.node-error').allTextContents()) text = text.replace(server, '');
    const data =
      /Guangzhou Tianhe|Beijing Wangfujing|South China|ext-auto-[ab]|MobiLink sync|Asia\/Shanghai|mirrorwatch/g;
    expect(text.replace(data, '').match(/[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})*/g) ?? []).toEqual([]);
    expect(await popup.getByRole('button', { name: '故障切换' }).count()).toBe(1);
  } else {
    expect(await popup.getByRole('button', { name: 'Fail over', exact: true }).count()).toBe(1);
  }
  await popup.close();
}

describe('the extension in Chromium', () => {
  it('carries no Chinese in the background, which stays under 15 KB gzipped', () => {
    const background = readFileSync(join(EXTENSION, 'background.js'), 'utf8');
    expect(background).not.toMatch(/[\u4e00-\u9fff]/);
    expect(readFileSync(join(EXTENSION, 'i18n/zh-CN.json'), 'utf8')).toContain('"confirm.submit":"确认故障切换"');
    expect(bundleSizes().background).toBeLessThan(15 * 1024);
  });

  it('unconfigured, the badge is a grey "?"', async () => {
    const b = await badgeUntil('grey ?', (x) => x.text === '?');
    expect(b.title).toContain('Not configured');
  });

  it('when the access prompt cannot show, the options page says so and disables nothing', async () => {
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await options.fill('#server', stack.base);
    await options.fill('#token', stack.secrets.OPERATOR_TOKEN);
    // Testing needs no access: it works without any prompt, and offers the server's stores once.
    await options.getByRole('button', { name: 'Test connection' }).click();
    await options.getByText('Connected: the server reports 2 stores.').waitFor({ timeout: 15_000 });
    expect(await options.locator('textarea').count()).toBe(0);
    expect(await options.locator('input[type="checkbox"][id^="store-"]').count()).toBe(2);
    await options.getByLabel('Beijing Wangfujing').check();
    await options.getByLabel('Beijing Wangfujing').uncheck();
    expect(await horizontalOverflow(options)).toBe(0);
    await options.screenshot({ path: artifact('options.png'), fullPage: true });
    await options.emulateMedia({ colorScheme: 'dark' });
    await options.screenshot({ path: artifact('options-dark.png'), fullPage: true });
    // Saving asks for access; headless Chromium never shows that prompt.
    await options.getByRole('button', { name: 'Save' }).click();
    await options.getByText(/If no prompt shows/).waitFor({ timeout: 15_000 });
    expect(await options.getByRole('button', { name: 'Save' }).isEnabled()).toBe(true);
    expect(await options.getByRole('button', { name: 'Test connection' }).isEnabled()).toBe(true);
    await options.close();
  });

  it('the options page saves the server and token, and the badge goes green', async () => {
    const options = await context.newPage();
    await options.addInitScript(() => {
      // Headless Chromium cannot show the host-permission prompt: answer it as the user would.
      chrome.permissions.request = () => Promise.resolve(true);
    });
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    // A server off this machine over http:// would carry the token in clear: the page says so.
    await options.fill('#server', 'http://mirrorwatch.example.com');
    const warning = options.locator('#server-warning');
    await warning.waitFor({ timeout: 5_000 });
    expect(await warning.textContent()).toMatch(/clear|http/i);
    await options.screenshot({ path: artifact('options-cleartext-warning.png'), fullPage: true });
    await options.fill('#server', stack.base);
    await warning.waitFor({ state: 'detached', timeout: 5_000 });
    await options.fill('#token', stack.secrets.OPERATOR_TOKEN);
    await options.getByRole('button', { name: /save/i }).click();
    await options.getByText('Saved.').waitFor({ timeout: 15_000 });
    await options.close();

    const green = await badgeUntil('green OK', (x) => x.text === 'OK');
    expect(green.color).toEqual(GREEN);
    for (const scheme of ['light', 'dark'] as const) {
      const popup = await openPopup(scheme);
      await popup.getByText('Live').first().waitFor({ timeout: 15_000 });
      await popup.getByText('All 2 fine').waitFor({ timeout: 30_000 });
      await popup.screenshot({ path: artifact(`popup-healthy${scheme === 'dark' ? '-dark' : ''}.png`) });
      await expectTidy(popup, `healthy popup, ${scheme}`);
      // Pills of one width: the names start at one x.
      const names = await popup
        .locator('button.store .name')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
      expect(new Set(names).size).toBe(1);
      expect(await popup.locator('button.store .why').first().textContent()).toMatch(/^lag [\d.]+ s · primary \S+$/);
      await popup.close();
      await storePageWithForm(scheme, 'en');
    }
  });

  it('in Chinese: the options page switches at once, and the popup and the badge follow the saved choice', async () => {
    const options = await context.newPage();
    await options.addInitScript(() => {
      chrome.permissions.request = () => Promise.resolve(true);
    });
    const choose = async (language: string, save: RegExp, heading: string, saved: string) => {
      await options.goto(`chrome-extension://${extensionId}/options.html`);
      // The saved server is loaded first: saving before that would save an empty form.
      await expect.poll(() => options.inputValue('#server'), { timeout: 15_000 }).toBe(stack.base);
      await options.selectOption('#language', language);
      await options.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 5_000 });
      await options.getByRole('button', { name: save }).click();
      await options.getByText(saved).waitFor({ timeout: 15_000 });
    };
    await choose('zh-CN', /^保存$/, 'mirrorwatch 选项', '已保存。扩展正在重新连接。');
    expect(await options.getByText('未勾选任何门店：关注全部门店。').count()).toBe(1);
    expect(await horizontalOverflow(options)).toBe(0);
    await options.screenshot({ path: artifact('options-zh.png'), fullPage: true });

    const tooltip = await badgeUntil('a Chinese tooltip', (x) => x.text === 'OK' && x.title.includes('全部正常'));
    expect(tooltip.title).toContain('关注的 2 家门店全部正常');
    for (const scheme of ['light', 'dark'] as const) {
      const popup = await openPopup(scheme);
      await popup.getByText('全部 2 家正常').waitFor({ timeout: 30_000 });
      expect(await popup.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await popup.getByRole('button', { name: '刷新' }).count()).toBe(1);
      expect(await popup.locator('.pill').first().textContent()).toBe('运行正常');
      expect(await popup.locator('button.store .why').first().textContent()).toMatch(/^延迟 [\d.]+ 秒 · 主库 \S+$/);
      await popup.screenshot({ path: artifact(`popup-healthy-zh${scheme === 'dark' ? '-dark' : ''}.png`) });
      await expectTidy(popup, `healthy popup in Chinese, ${scheme}`);
      const names = await popup
        .locator('button.store .name')
        .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().x));
      expect(new Set(names).size).toBe(1);
      await popup.close();
      await storePageWithForm(scheme, 'zh');
    }
    // Back to English for the tests that follow.
    await choose('en', /^Save$/, 'mirrorwatch options', 'Saved.');
    await options.close();
    await badgeUntil('an English tooltip again', (x) => x.title.includes('All 2 watched stores fine'));
  });

  it('a crashed primary turns the badge red, then the completed failover is reported', async () => {
    await stack.control.inject('ext-auto', 'crash');
    const red = await badgeUntil('red', (x) => x.color.join() === RED.join());
    expect(red.title).toContain('Guangzhou Tianhe');
    // Auto mode is per store in the demo config: ext-auto fails over by itself.
    const popup = await openPopup();
    await popup.getByText('1 of 2 fine').waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: artifact('popup-faults.png') });
    await expectTidy(popup, 'popup with a fault');
    expect(await popup.locator('button.store[data-store="ext-auto"] .why').textContent()).not.toBe('');
    await popup.locator('button.store[data-store="ext-auto"]').click();
    await popup
      .getByText(/completed/i)
      .first()
      .waitFor({ timeout: 60_000 });
    await popup.screenshot({ path: artifact('popup-failover-completed.png'), fullPage: true });
    await expectTidy(popup, 'a completed failover');
    await popup.close();

    // The sync installed on both nodes: the old primary is down, the new one runs it.
    const codes = await runDemoSlot({
      worker: stack.base,
      simUrl: stack.simUrl,
      store: 'ext-auto',
      nodes: ['ext-auto-a', 'ext-auto-b'],
      hookSecret: stack.secrets.HOOK_SECRET,
      command: [process.execPath, '-e', '0'],
      lockRoot: await mkdtemp(join(tmpdir(), 'mirrorwatch-browser-jobs-')),
      log: () => undefined,
    });
    expect(codes['ext-auto-b']).toBe(0);
    const page = await openPopup();
    await page.locator('button.store[data-store="ext-auto"]').click();
    const row = page.locator('table.jobs tbody tr').first();
    await row.getByText(/succeeded .* on ext-auto-b/).waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toMatch(/MobiLink sync.*\d\d:\d\d \(Asia\/Shanghai\)/);
    await page.screenshot({ path: artifact('popup-store-jobs.png'), fullPage: true });
    await page.close();
  });

  it('in manual mode, the operator confirms from the popup and the promotion happens', async () => {
    await stack.control.inject('ext-manual', 'crash');
    await badgeUntil(
      'awaiting confirmation',
      (x) => x.title.includes('Beijing Wangfujing') && /confirm/i.test(x.title),
    );
    const popup = await openPopup();
    await popup.locator('button.store[data-store="ext-manual"]').click();
    const confirm = popup.getByRole('button', { name: 'Confirm failover' });
    await confirm.waitFor({ timeout: 15_000 });
    await popup.getByText(/\d+ (s|min).* left/).waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: artifact('popup-awaiting-confirmation.png') });
    expect(await aboveTheFold(popup, confirm)).toBe(true);
    await expectTidy(popup, 'awaiting confirmation');
    // The reason the store is waiting is said once, in the card, not again under "Why".
    expect(await popup.getByText(/awaits an operator/).count()).toBe(0);
    await confirm.click();
    await popup
      .locator('.note.ok')
      .getByText(/^Confirmed/)
      .waitFor({ timeout: 15_000 });
    await popup.screenshot({ path: artifact('popup-after-confirm.png'), fullPage: true });
    await expectTidy(popup, 'after confirming');
    // No second action offered above the success message.
    expect(await popup.getByRole('button', { name: /fail over|confirm/i }).count()).toBe(0);
    // The 202 only accepts the request: the monitor sends the promote at its next round.
    const promotes = await waitFor(
      'the promote applied',
      () => stack.control.actions({ store: 'ext-manual', action: 'promote' }),
      (all) => all.some((a) => a.verdict.applied),
      30_000,
    );
    expect(promotes.filter((a) => a.verdict.applied)).toHaveLength(1);
    await popup.close();
  });

  it('with the worker stopped, the badge shows a grey "?"', async () => {
    stack.stopWorker();
    const grey = await badgeUntil('grey ? after the worker stops', (x) => x.text === '?', 150_000);
    expect(grey.color).not.toEqual(GREEN);
    const popup = await openPopup();
    await popup.screenshot({ path: artifact('popup-offline.png') });
    await popup.close();
  }, 180_000);
});
