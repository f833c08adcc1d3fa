/**
 * The public status page, server-rendered from the public view alone (so it cannot leak what that
 * view does not hold): an overall banner, stores grouped by region with their status in words and
 * colour (never colour alone), uptime over four windows (or since when a store is monitored, before
 * it has a figure), a 90-day bar with a tooltip per day, and
 * recent incidents grouped by day and store, in public-safe words. The favicon takes the colour of
 * the worst status. No client JavaScript; it refreshes itself every minute.
 */
import { html, raw } from 'hono/html';
import { designCss, faviconHref } from '#shared/design/tokens.ts';
import { incidentId } from '#shared/incident-id.ts';
import {
  type PublicDay,
  type PublicHistory,
  type PublicStatus,
  type PublicStore,
  UPTIME_WINDOWS,
} from '#shared/schemas/api.ts';
import type { IncidentNote } from '#shared/schemas/incident-notes.ts';
import { PUBLIC_WORDS, STATUS_TONE, type Tone, worstTone } from '#shared/status-words.ts';
import { clock, dayText, incidentList, type NamedIncident, plannedList } from './status-incidents.ts';
import { STATUS_PAGE_STYLE } from './status-page-style.ts';

export type PublicPage = {
  status: PublicStatus;
  history: Record<string, Omit<PublicHistory, 'uptime'>>;
  notes?: Record<string, readonly IncidentNote[]>;
};

/**
 * Above this many stores on one page, stores are listed as compact rows (status and uptime) and
 * the 90-day bars move to each region's own page (`?region=`), so the page stays small whatever
 * the fleet's size.
 */
export const CARDS_PER_PAGE = 60;

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const slug = (v: string) => v.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const pct = (v: number | null) => (v === null ? '—' : `${(Math.floor(v * 100) / 100).toFixed(2)} %`);
const CSS = designCss() + STATUS_PAGE_STYLE;

function pill(s: PublicStore) {
  return html`<span class="pill ${STATUS_TONE[s.status]}">${PUBLIC_WORDS[s.status]}</span>`;
}

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
  if (days.length === 0) return html`<p class="none history">No history yet.</p>`;
  const cells = days.map((d) => `<li class="${dayClass(d)}" title="${attr(dayTitle(d))}"></li>`).join('');
  const recent = Math.min(30, days.length);
  return html`<div class="history"><ol class="bar" aria-label="${s.name}: daily availability over the last ${days.length} days, ${pct(s.uptime['90d'])} overall">${raw(cells)}</ol>
<div class="axis" aria-hidden="true"><span class="long">${days.length} days ago</span><span class="short">${recent} days ago</span><span>today</span></div></div>`;
}

/** Before its first monitored minute a store has no figure to show: say since when it is watched instead. */
function notYetMeasured(s: PublicStore) {
  const since = s.monitoringSince ?? null;
  if (since === null) return html`<p class="uptime none">Waiting for the first checks</p>`;
  return html`<p class="uptime none">Monitoring since <time class="figure" datetime="${since}">${dayText(since)} ${clock(since)} UTC</time></p>`;
}

function uptime(s: PublicStore) {
  if (UPTIME_WINDOWS.every((w) => s.uptime[w] === null)) return notYetMeasured(s);
  const windows = [
    ['24 h', s.uptime['24h']],
    ['7 d', s.uptime['7d']],
    ['30 d', s.uptime['30d']],
    ['90 d', s.uptime['90d']],
  ] as const;
  return html`<dl class="uptime">${windows.map(([label, v]) => html`<div><dt>${label}</dt><dd class="figure">${pct(v)}</dd></div>`)}</dl>`;
}

function storeCard(s: PublicStore, history: Omit<PublicHistory, 'uptime'> | undefined) {
  return html`<li class="store"><h3>${s.name}</h3>${uptime(s)}${pill(s)}${bar(s, history?.days ?? [])}</li>`;
}

function storeRow(s: PublicStore) {
  return html`<tr><th scope="row">${s.name}</th><td>${pill(s)}</td><td>${pct(s.uptime['24h'])}</td><td>${pct(s.uptime['90d'])}</td></tr>`;
}

function regionBlock(region: string, stores: PublicStore[], history: PublicPage['history'], compact: boolean) {
  const id = `r-${slug(region)}`;
  const count = `${stores.length} store${stores.length === 1 ? '' : 's'}`;
  if (!compact) {
    return html`<section aria-labelledby="${id}"><div class="region-head"><h2 id="${id}">${region}</h2><span class="count">${count}</span></div>
<ul class="stores">${stores.map((s) => storeCard(s, history[s.id]))}</ul></section>`;
  }
  return html`<section aria-labelledby="${id}"><div class="region-head"><h2 id="${id}">${region}</h2><span class="count">${count}</span><a class="more" href="?region=${encodeURIComponent(region)}">daily history</a></div>
<table><thead><tr><th scope="col">Store</th><th scope="col">Status</th><th scope="col">24 h</th><th scope="col">90 d</th></tr></thead>
<tbody>${stores.map(storeRow)}</tbody></table></section>`;
}

/** The banner's words and tone: everything fine, or how many stores are in trouble. */
export function overall(stores: readonly PublicStore[]): { tone: Tone; text: string } {
  const tone = worstTone(stores.map((s) => s.status));
  if (stores.length === 0) return { tone, text: 'No stores are published yet.' };
  const troubled = stores.filter((s) => !['healthy', 'unknown', 'maintenance'].includes(s.status)).length;
  if (troubled > 0) return { tone, text: `${troubled} of ${stores.length} stores need attention.` };
  if (stores.every((s) => s.status === 'unknown')) return { tone, text: 'Waiting for the first checks.' };
  return { tone, text: 'All stores are operational.' };
}

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
  const incidents: NamedIncident[] = Object.entries(history)
    .flatMap(([id, h]) =>
      h.incidents.map((i) => {
        const key = incidentId(id, i);
        return { store: names.get(id) ?? id, incident: i, id: key, notes: page.notes?.[key] ?? [] };
      }),
    )
    .sort((a, b) => b.incident.start.localeCompare(a.incident.start))
    .slice(0, 20);
  const planned = status.stores
    .flatMap((s) => (s.nextMaintenance ? [{ store: s.name, window: s.nextMaintenance }] : []))
    .sort((a, b) => a.window.start.localeCompare(b.window.start));
  const banner = overall(status.stores);
  const updated = `${dayText(status.generatedAt)} ${clock(status.generatedAt)} UTC`;
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="60"><title>Store status</title>
<link rel="icon" href="${faviconHref(banner.tone)}" data-tone="${banner.tone}"><style>${raw(CSS)}</style></head>
<body><main>
<header class="top"><h1>Store status</h1><span class="muted">Updated <time class="figure" datetime="${status.generatedAt}">${updated}</time></span></header>
<p class="banner ${banner.tone}" role="status"><span class="dot" aria-hidden="true"></span><span>${banner.text}</span></p>
${only === null ? '' : html`<p><a href="?">All regions</a></p>`}
${[...regions.entries()].map(([region, stores]) => regionBlock(region, stores, history, compact))}
${planned.length === 0 ? '' : html`<section aria-labelledby="planned"><h2 id="planned">Planned maintenance</h2>${plannedList(planned)}</section>`}
<section aria-labelledby="incidents"><h2 id="incidents">Recent incidents</h2>
${incidentList(incidents)}
</section>
<footer>Availability is the share of monitored time during which the store's database was serving. Days follow each store's time zone; times are UTC.</footer>
</main></body></html>`;
}
