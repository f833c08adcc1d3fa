/**
 * The public status page, server-rendered from the public view alone (so it cannot leak what that
 * view does not hold): stores grouped by region, status in words and colour (never colour alone),
 * uptime over four windows, a 90-day bar with a tooltip per day, and recent incidents in
 * public-safe words. No client JavaScript; it refreshes itself every minute.
 */
import { html, raw } from 'hono/html';
import type { PublicDay, PublicHistory, PublicIncident, PublicStatus, PublicStore } from '#shared/schemas/api.ts';
import type { StoreStatusName } from '#shared/schemas/status.ts';

export type PublicPage = { status: PublicStatus; history: Record<string, Omit<PublicHistory, 'uptime'>> };

/**
 * Above this many stores on one page, stores are listed as compact rows (status and uptime) and
 * the 90-day bars move to each region's own page (`?region=`), so the page stays small whatever
 * the fleet's size.
 */
export const CARDS_PER_PAGE = 60;

const WORDS: Record<StoreStatusName, { text: string; tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted' }> = {
  healthy: { text: 'Operational', tone: 'ok' },
  degraded: { text: 'Degraded', tone: 'warn' },
  primary_down: { text: 'Outage', tone: 'bad' },
  awaiting_confirm: { text: 'Outage', tone: 'bad' },
  failing_over: { text: 'Recovering', tone: 'info' },
  split_brain: { text: 'Outage', tone: 'bad' },
  store_unreachable: { text: 'Unreachable', tone: 'bad' },
  maintenance: { text: 'Maintenance', tone: 'info' },
  unknown: { text: 'No data yet', tone: 'muted' },
};

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const slug = (v: string) => v.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const pct = (v: number | null) => (v === null ? '—' : `${(Math.floor(v * 100) / 100).toFixed(2)} %`);
const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

function dayClass(d: PublicDay): string {
  if (d.availability === null) return 'n';
  if (d.availability >= 99.9) return 'g';
  if (d.availability >= 95) return 'w';
  return 'b';
}

function dayTitle(d: PublicDay): string {
  if (d.availability === null) return `${d.date}: no data`;
  const down = d.downtimeMinutes > 0 ? `, ${d.downtimeMinutes} min down` : '';
  const failovers = d.failovers > 0 ? `, ${d.failovers} failover${d.failovers > 1 ? 's' : ''}` : '';
  return `${d.date}: ${pct(d.availability)}${down}${failovers}`;
}

function bar(s: PublicStore, days: PublicDay[]) {
  if (days.length === 0) return html`<p class="none">No history yet.</p>`;
  const cells = days.map((d) => `<li class="${dayClass(d)}" title="${attr(dayTitle(d))}"></li>`).join('');
  return html`<ol class="bar" aria-label="${s.name}: daily availability over the last ${days.length} days, ${pct(s.uptime['90d'])} overall">${raw(cells)}</ol>`;
}

/** After a failover, the store has its second node back (shared/fleet/redundancy.ts). */
function restored(s: PublicStore) {
  return s.redundancyRestoredAt
    ? html`<p class="restored">Redundancy restored <time datetime="${s.redundancyRestoredAt}">${s.redundancyRestoredAt.slice(0, 16).replace('T', ' ')} UTC</time></p>`
    : '';
}

function storeCard(s: PublicStore, history: Omit<PublicHistory, 'uptime'> | undefined) {
  const w = WORDS[s.status];
  return html`<li class="store">
  <div class="head"><h3>${s.name}</h3><span class="pill ${w.tone}">${w.text}</span></div>
  ${restored(s)}
  <dl class="uptime"><div><dt>24 h</dt><dd>${pct(s.uptime['24h'])}</dd></div><div><dt>7 d</dt><dd>${pct(s.uptime['7d'])}</dd></div><div><dt>30 d</dt><dd>${pct(s.uptime['30d'])}</dd></div><div><dt>90 d</dt><dd>${pct(s.uptime['90d'])}</dd></div></dl>
  ${bar(s, history?.days ?? [])}
</li>`;
}

function storeRow(s: PublicStore) {
  const w = WORDS[s.status];
  return html`<tr><th scope="row">${s.name}</th><td><span class="pill ${w.tone}">${w.text}</span>${restored(s)}</td><td>${pct(s.uptime['24h'])}</td><td>${pct(s.uptime['90d'])}</td></tr>`;
}

function regionBlock(region: string, stores: PublicStore[], history: PublicPage['history'], compact: boolean) {
  const id = `r-${slug(region)}`;
  if (!compact) {
    return html`<section aria-labelledby="${id}"><h2 id="${id}">${region}</h2>
<ul class="stores">${stores.map((s) => storeCard(s, history[s.id]))}</ul></section>`;
  }
  return html`<section aria-labelledby="${id}"><h2 id="${id}">${region} <a class="more" href="?region=${encodeURIComponent(region)}">daily history</a></h2>
<table><thead><tr><th scope="col">Store</th><th scope="col">Status</th><th scope="col">24 h</th><th scope="col">90 d</th></tr></thead>
<tbody>${stores.map(storeRow)}</tbody></table></section>`;
}

function incidentItem(store: string, i: PublicIncident) {
  const end = i.end ? `resolved ${when(i.end)}` : 'ongoing';
  return html`<li class="${i.kind}"><time datetime="${i.start}">${when(i.start)}</time> <strong>${store}</strong>: ${i.title} (${end})</li>`;
}

const STYLE = `
:root{color-scheme:light dark;--ok:#137333;--warn:#b06000;--bad:#c5221f;--info:#1967d2;--muted:#5f6368;--line:#8884;--bg:#fff;--fg:#1f1f1f}
@media (prefers-color-scheme:dark){:root{--bg:#121212;--fg:#e8e8e8;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--info:#58a6ff;--muted:#9aa0a6}}
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:64rem;padding:1rem;background:var(--bg);color:var(--fg)}
h1{margin:.2rem 0}h2{margin:1.5rem 0 .5rem;font-size:1.2rem}h3{margin:0;font-size:1rem}
ul.stores{list-style:none;padding:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(19rem,1fr))}
li.store{border:1px solid var(--line);border-radius:.5rem;padding:.75rem}
.head{display:flex;justify-content:space-between;gap:.5rem;align-items:center}
.pill{padding:0 .6rem;border-radius:1rem;color:#fff;font-size:.9rem;white-space:nowrap}
.pill.ok{background:var(--ok)}.pill.warn{background:var(--warn)}.pill.bad{background:var(--bad)}.pill.info{background:var(--info)}.pill.muted{background:var(--muted)}
dl.uptime{display:flex;gap:1rem;margin:.5rem 0;font-size:.9rem}dl.uptime dt{color:var(--muted)}dl.uptime dd{margin:0;font-variant-numeric:tabular-nums}
ol.bar{display:flex;gap:1px;list-style:none;padding:0;margin:.25rem 0;height:1.6rem}
ol.bar li{flex:1;border-radius:1px}.g{background:var(--ok)}.w{background:var(--warn)}.b{background:var(--bad)}.n{background:var(--line)}
ol.bar li:hover{outline:2px solid var(--fg)}
.incidents{padding-left:1.2rem}.incidents li{margin:.3rem 0}.none{color:var(--muted)}
table{width:100%;border-collapse:collapse}th,td{text-align:left;padding:.3rem;border-bottom:1px solid var(--line)}
a.more{font-size:.85rem;font-weight:normal;margin-left:.5rem}
footer{margin-top:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:30rem){body{padding:.5rem}dl.uptime{gap:.6rem}}
`;

export function renderStatusPage(page: PublicPage, only: string | null = null) {
  const { status, history } = page;
  const shown = only === null ? status.stores : status.stores.filter((s) => (s.region ?? 'Other') === only);
  // A region's own page always has its bars: that is what the link from the compact list promises.
  const compact = only === null && shown.length > CARDS_PER_PAGE;
  const regions = new Map<string, PublicStore[]>();
  for (const s of shown) {
    const key = s.region ?? 'Other';
    regions.set(key, [...(regions.get(key) ?? []), s]);
  }
  const names = new Map(status.stores.map((s) => [s.id, s.name]));
  const incidents = Object.entries(history)
    .flatMap(([id, h]) => h.incidents.map((i) => ({ store: names.get(id) ?? id, incident: i })))
    .sort((a, b) => b.incident.start.localeCompare(a.incident.start))
    .slice(0, 20);
  const planned = status.stores
    .flatMap((s) => (s.nextMaintenance ? [{ store: s.name, window: s.nextMaintenance }] : []))
    .sort((a, b) => a.window.start.localeCompare(b.window.start));
  const troubled = status.stores.filter((s) => !['healthy', 'unknown', 'maintenance'].includes(s.status)).length;
  const summary =
    status.stores.length === 0
      ? 'No stores are published yet.'
      : troubled === 0
        ? 'All stores are operational.'
        : `${troubled} of ${status.stores.length} stores need attention.`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="60"><title>Store status</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23137333'/%3E%3C/svg%3E"><style>${raw(STYLE)}</style></head>
<body><main>
<h1>Store status</h1>
<p role="status">${summary} Updated <time datetime="${status.generatedAt}">${when(status.generatedAt)}</time>.</p>
${only === null ? '' : html`<p><a href="?">All regions</a></p>`}
${[...regions.entries()].map(([region, stores]) => regionBlock(region, stores, history, compact))}
${planned.length === 0 ? '' : html`<section aria-labelledby="planned"><h2 id="planned">Planned maintenance</h2><ul class="incidents">${planned.map((p) => html`<li class="maintenance"><time datetime="${p.window.start}">${when(p.window.start)}</time> to <time datetime="${p.window.end}">${when(p.window.end)}</time> <strong>${p.store}</strong></li>`)}</ul></section>`}
<section aria-labelledby="incidents"><h2 id="incidents">Recent incidents</h2>
${incidents.length === 0 ? html`<p class="none">No incidents in the last 14 days.</p>` : html`<ul class="incidents">${incidents.map((x) => incidentItem(x.store, x.incident))}</ul>`}
</section>
<footer>Availability is the share of monitored time during which the store's database was serving. Days follow each store's time zone.</footer>
</main></body></html>`;
}
