import { describe, expect, it } from 'vitest';
import type { PublicDay, PublicIncident, PublicStore } from '#shared/schemas/api.ts';
import { type PublicPage, renderStatusPage } from '#worker/views/status-page.ts';

const REGIONS = ['South China', 'East China', 'North China', 'Southwest'];

function page(stores: number): PublicPage {
  const list: PublicStore[] = [];
  const history: PublicPage['history'] = {};
  for (let i = 0; i < stores; i++) {
    const id = `store-${i}`;
    list.push({
      id,
      name: `Department store ${i}`,
      region: REGIONS[i % REGIONS.length] ?? null,
      status: i % 10 === 3 ? 'primary_down' : 'healthy',
      since: '2026-11-21T08:00:00.000Z',
      uptime: { '24h': 100, '7d': 99.95, '30d': 99.9, '90d': 99.87 },
      nextMaintenance: null,
    });
    const days: PublicDay[] = Array.from({ length: 90 }, (_, d) => ({
      date: new Date(Date.UTC(2026, 7, 24 + d)).toISOString().slice(0, 10),
      availability: d === 50 ? 97.5 : d < 5 ? null : 100,
      downtimeMinutes: d === 50 ? 36 : 0,
      failovers: d === 50 ? 1 : 0,
    }));
    const incidents: PublicIncident[] =
      i % 10 === 3
        ? [
            {
              kind: 'outage',
              title: 'Outage: the store database was unavailable',
              start: '2026-11-21T08:00:00.000Z',
              end: null,
            },
          ]
        : [];
    history[id] = { days, incidents, planned: null };
  }
  return { status: { generatedAt: '2026-11-21T08:05:00.000Z', stores: list }, history };
}

async function gzipSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe('the status page', () => {
  it('groups 40 stores by region, with 90 day cells each and a tooltip per day', async () => {
    const html = String(await renderStatusPage(page(40)));
    for (const region of REGIONS) expect(html).toContain(`>${region}</h2>`);
    expect(html.match(/<li class="store">/g)).toHaveLength(40);
    expect(html.match(/<li class="[gwbn]" title="/g)).toHaveLength(40 * 90);
    expect(html).toContain('title="2026-10-13: 97.50 %, 36 min down, 1 failover"');
    expect(html).toContain('4 of 40 stores need attention.');
    expect(html).toContain('Outage: the store database was unavailable (ongoing)');
    // Words, not colour alone: every status pill carries its word.
    expect(html.match(/<span class="pill bad">Outage<\/span>/g)).toHaveLength(4);
  });

  it('weighs under 100 KB for 40 stores, as sent (gzip)', async () => {
    const html = String(await renderStatusPage(page(40)));
    expect(await gzipSize(html)).toBeLessThan(100 * 1024);
  });

  it('renders an empty fleet and a store without history without failing', async () => {
    const empty = String(
      await renderStatusPage({ status: { generatedAt: '2026-11-21T08:05:00.000Z', stores: [] }, history: {} }),
    );
    expect(empty).toContain('No stores are published yet.');
    expect(empty).toContain('No incidents in the last 14 days.');
    const fresh = page(1);
    fresh.history = {};
    expect(String(await renderStatusPage(fresh))).toContain('No history yet.');
  });

  it('escapes what it shows', async () => {
    const p = page(1);
    const store = p.status.stores[0];
    if (!store) throw new Error('no store');
    store.name = '<script>alert(1)</script>';
    const html = String(await renderStatusPage(p));
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('lists a large fleet as compact rows, and keeps the bars for the page of each region', async () => {
    const big = page(1000);
    const all = String(await renderStatusPage(big));
    expect(all.match(/<tr><th scope="row">/g)).toHaveLength(1000);
    expect(all).not.toContain('<ol class="bar"');
    expect(all).toContain('href="?region=South%20China&amp;lang=en"');
    expect(await gzipSize(all)).toBeLessThan(100 * 1024);
    const region = String(await renderStatusPage(big, 'East China'));
    expect(region.match(/<li class="store">/g)).toHaveLength(250);
    expect(region).toContain('href="?lang=en">All regions');
  });
});

describe('the status page at a glance', () => {
  it('opens with a banner in the tone of the worst status, and the favicon follows it', async () => {
    const troubled = String(await renderStatusPage(page(4)));
    expect(troubled).toContain('<p class="banner bad" role="status">');
    expect(troubled).toContain('data-tone="bad"');
    const fine = page(3);
    const html = String(await renderStatusPage(fine));
    expect(html).toContain('All stores are operational.');
    expect(html).toContain('data-tone="ok"');
    const degraded = page(3);
    const first = degraded.status.stores[0];
    if (!first) throw new Error('no store');
    first.status = 'degraded';
    expect(String(await renderStatusPage(degraded))).toContain('data-tone="warn"');
  });

  it('groups incidents by day, then by store, each time shown once', async () => {
    const p = page(2);
    const outage = (start: string, end: string | null): PublicIncident => ({
      kind: 'outage',
      title: 'Outage: the store database was unavailable',
      start,
      end,
    });
    p.history['store-0'] = {
      days: [],
      planned: null,
      incidents: [
        outage('2026-11-21T08:00:00.000Z', null),
        outage('2026-11-20T11:00:00.000Z', '2026-11-20T11:03:00.000Z'),
      ],
    };
    p.history['store-1'] = {
      days: [],
      planned: null,
      incidents: [outage('2026-11-20T09:00:00.000Z', '2026-11-20T09:45:00.000Z')],
    };
    const html = String(await renderStatusPage(p));
    const days = [...html.matchAll(/<div class="day"><h3><time datetime="([\d-]+)">([^<]+)<\/time>/g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(days).toEqual([
      ['2026-11-21', 'Sat 21 Nov 2026'],
      ['2026-11-20', 'Fri 20 Nov 2026'],
    ]);
    // The 20th: store 0 (its newest incident first), then store 1, each named once.
    const friday = html.slice(html.indexOf('Fri 20 Nov 2026'));
    expect(friday.match(/Department store 0/g)).toHaveLength(1);
    expect(friday.indexOf('Department store 0')).toBeLessThan(friday.indexOf('Department store 1'));
    expect(html).toContain(
      '11:00–11:03</span> <span>Outage: the store database was unavailable (resolved after 3 min)',
    );
    expect(html).toContain('08:00–now</span> <span>Outage: the store database was unavailable (ongoing)');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d[^"]*</);
  });
});

describe('a store not measured yet', () => {
  it('says since when it is monitored instead of four dashes, and waits politely before that', async () => {
    const p = page(2);
    const [first, second] = p.status.stores;
    if (!first || !second) throw new Error('no store');
    first.uptime = { '24h': null, '7d': null, '30d': null, '90d': null };
    first.monitoringSince = '2026-11-21T08:04:00.000Z';
    second.uptime = { '24h': null, '7d': null, '30d': null, '90d': null };
    second.monitoringSince = null;
    const html = String(await renderStatusPage(p));
    expect(html).toContain(
      'Monitoring since <time class="figure" datetime="2026-11-21T08:04:00.000Z">Sat 21 Nov 2026 08:04 UTC</time>',
    );
    expect(html).toContain('Waiting for the first checks');
    expect(html).not.toContain('<dd class="figure">—</dd>');
  });
});
