/**
 * The status page's layout in real Chromium for fleets the live test does not build: a large fleet
 * (compact rows) and a small one with incidents and planned maintenance, rendered by the worker's
 * own view, at desktop and phone width, light and dark. Nothing may overflow or wrap a figure.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, launchPlain } from '#harness/chromium.ts';
import { horizontalOverflow, pillContrasts, wrappedFigures } from '#harness/page-checks.ts';
import type { PublicIncident, PublicStore } from '#shared/schemas/api.ts';
import { type PublicPage, renderStatusPage } from '#worker/views/status-page.ts';

const REGIONS = ['South China', 'East China', 'North China', 'Southwest'];

function fleet(size: number): PublicPage {
  const stores: PublicStore[] = Array.from({ length: size }, (_, i) => ({
    id: `s-${i}`,
    name: `Department store number ${i}`,
    region: REGIONS[i % REGIONS.length] ?? null,
    status: i % 17 === 3 ? 'store_unreachable' : i % 13 === 5 ? 'degraded' : 'healthy',
    since: '2026-11-21T08:00:00.000Z',
    uptime: { '24h': 100, '7d': 99.95, '30d': 99.9, '90d': i % 17 === 3 ? 97.31 : 100 },
    nextMaintenance: i === 1 ? { start: '2026-11-22T02:00:00.000Z', end: '2026-11-23T03:30:00.000Z' } : null,
  }));
  // One store just added: no figure yet, only since when it is monitored.
  const fresh = stores[2];
  if (fresh) {
    fresh.uptime = { '24h': null, '7d': null, '30d': null, '90d': null };
    fresh.monitoringSince = '2026-11-21T08:04:00.000Z';
  }
  const outage = (start: string, end: string | null): PublicIncident => ({
    kind: 'outage',
    title: 'Outage: the store database was unavailable',
    start,
    end,
  });
  const history: PublicPage['history'] = {};
  for (const s of stores) {
    history[s.id] = {
      days: Array.from({ length: 90 }, (_, d) => ({
        date: new Date(Date.UTC(2026, 7, 24 + d)).toISOString().slice(0, 10),
        availability: d < 30 ? null : d === 80 ? 97.5 : 100,
        downtimeMinutes: d === 80 ? 36 : 0,
        failovers: 0,
      })),
      incidents:
        s.status === 'healthy'
          ? []
          : [outage('2026-11-21T07:58:00.000Z', null), outage('2026-11-20T23:50:00.000Z', '2026-11-21T00:20:00.000Z')],
      planned: null,
    };
  }
  return { status: { generatedAt: '2026-11-21T08:05:00.000Z', stores }, history };
}

let browser: Browser;

beforeAll(async () => {
  browser = await launchPlain();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  ['small', 6],
  ['large', 120],
])('a %s fleet', (name, size) => {
  it.each([
    ['desktop', 1280, 'light'],
    ['phone', 390, 'light'],
    ['phone-dark', 390, 'dark'],
  ] as const)('at %s width: no overflow, no wrapped figure, readable pills', async (view, width, colorScheme) => {
    const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
    await page.setContent(String(await renderStatusPage(fleet(size))));
    await page.screenshot({ path: artifact(`status-page-${name}-fleet-${view}.png`) });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(await wrappedFigures(page)).toEqual([]);
    expect((await pillContrasts(page)).filter((p) => p.ratio < 4.5)).toEqual([]);
    await page.close();
  });
});
