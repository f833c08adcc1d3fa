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
import { percent } from '#shared/i18n/format.ts';
import type { Locale } from '#shared/i18n/locale.ts';
import { publicWord, statusPageWords, type Translate } from '#shared/i18n/status-page-catalog.ts';
import { incidentId } from '#shared/incident-id.ts';
import {
  type PublicDay,
  type PublicHistory,
  type PublicStatus,
  type PublicStore,
  UPTIME_WINDOWS,
} from '#shared/schemas/api.ts';
import type { IncidentNote } from '#shared/schemas/incident-notes.ts';
import { STATUS_TONE, type Tone, worstTone } from '#shared/status-words.ts';
import { incidentList, moment, type NamedIncident, type PageVoice, plannedList } from './status-incidents.ts';
import { languageLinks, pageHref } from './status-page-links.ts';
import { STATUS_PAGE_STYLE } from './status-page-style.ts';

/** `timeZone`: the store's IANA zone, for its times (absent: UTC). */
export type PublicPage = {
  status: PublicStatus;
  history: Record<string, Omit<PublicHistory, 'uptime'> & { timeZone?: string }>;
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
const CSS = designCss() + STATUS_PAGE_STYLE;

/** What every part of the page needs: the voice, plus each store's zone. */
interface View extends PageVoice {
  zoneOf: (storeId: string) => string;
}

function pill(s: PublicStore, t: Translate) {
  return html`<span class="pill ${STATUS_TONE[s.status]}">${publicWord(t, s.status)}</span>`;
}

function dayClass(d: PublicDay): string {
  if (d.availability === null) return 'n';
  if (d.availability >= 99.9) return 'g';
  if (d.availability >= 95) return 'w';
  return 'b';
}

function dayTitle(d: PublicDay, v: View): string {
  if (d.availability === null) return v.t('day.noData', { date: d.date });
  const down = d.downtimeMinutes > 0 ? v.t('day.down', { minutes: d.downtimeMinutes }) : '';
  const many = d.failovers > 1 ? v.t('day.failovers', { count: d.failovers }) : '';
  const failovers = d.failovers === 1 ? v.t('day.failover') : many;
  return `${v.t('day.figure', { date: d.date, availability: percent(d.availability, v.locale) })}${down}${failovers}`;
}

function bar(s: PublicStore, days: PublicDay[], v: View) {
  if (days.length === 0) return html`<p class="none history">${v.t('bar.none')}</p>`;
  const cells = days.map((d) => `<li class="${dayClass(d)}" title="${attr(dayTitle(d, v))}"></li>`).join('');
  const recent = Math.min(30, days.length);
  const label = v.t('bar.label', { store: s.name, days: days.length, overall: percent(s.uptime['90d'], v.locale) });
  return html`<div class="history"><ol class="bar" aria-label="${label}">${raw(cells)}</ol>
<div class="axis" aria-hidden="true"><span class="long">${v.t('bar.daysAgo', { days: days.length })}</span><span class="short">${v.t('bar.daysAgo', { days: recent })}</span><span>${v.t('bar.today')}</span></div></div>`;
}

/** Before its first monitored minute a store has no figure to show: say since when it is watched instead. */
function notYetMeasured(s: PublicStore, v: View) {
  const since = s.monitoringSince ?? null;
  if (since === null) return html`<p class="uptime none">${v.t('uptime.waiting')}</p>`;
  const time = `<time class="figure" datetime="${attr(since)}">${moment(since, { locale: v.locale, timeZone: v.zoneOf(s.id) })}</time>`;
  return html`<p class="uptime none">${raw(v.t('uptime.since', { time }))}</p>`;
}

function uptime(s: PublicStore, v: View) {
  if (UPTIME_WINDOWS.every((w) => s.uptime[w] === null)) return notYetMeasured(s, v);
  return html`<dl class="uptime">${UPTIME_WINDOWS.map((w) => html`<div><dt>${v.t(`window.${w}`)}</dt><dd class="figure">${percent(s.uptime[w], v.locale)}</dd></div>`)}</dl>`;
}

/** After a failover, the store has its second node back (shared/fleet/redundancy.ts). */
function restored(s: PublicStore, v: View) {
  const at = s.redundancyRestoredAt;
  if (!at) return '';
  const time = `<time datetime="${attr(at)}">${moment(at, { locale: v.locale, timeZone: v.zoneOf(s.id) })}</time>`;
  return html`<p class="restored">${raw(v.t('store.redundancyRestored', { time }))}</p>`;
}

function storeCard(s: PublicStore, history: PublicPage['history'][string] | undefined, v: View) {
  return html`<li class="store"><h3>${s.name}</h3>${uptime(s, v)}${pill(s, v.t)}${bar(s, history?.days ?? [], v)}${restored(s, v)}</li>`;
}

function storeRow(s: PublicStore, v: View) {
  return html`<tr><th scope="row">${s.name}</th><td>${pill(s, v.t)}${restored(s, v)}</td><td>${percent(s.uptime['24h'], v.locale)}</td><td>${percent(s.uptime['90d'], v.locale)}</td></tr>`;
}

/** The region of stores that have none, as `?region=` names it. */
const OTHER = 'Other';

function regionBlock(region: string, stores: PublicStore[], page: PublicPage, compact: boolean, v: View) {
  const id = `r-${slug(region)}`;
  const count = v.t(stores.length === 1 ? 'region.one' : 'region.many', { count: stores.length });
  // Stores without a region are grouped as "Other" (the `?region=` name); the heading says it in the page's language.
  const name = region === OTHER ? v.t('region.other') : region;
  if (!compact) {
    return html`<section aria-labelledby="${id}"><div class="region-head"><h2 id="${id}">${name}</h2><span class="count">${count}</span></div>
<ul class="stores">${stores.map((s) => storeCard(s, page.history[s.id], v))}</ul></section>`;
  }
  return html`<section aria-labelledby="${id}"><div class="region-head"><h2 id="${id}">${name}</h2><span class="count">${count}</span><a class="more" href="${pageHref(region, v.locale)}">${v.t('region.history')}</a></div>
<table><thead><tr><th scope="col">${v.t('table.store')}</th><th scope="col">${v.t('table.status')}</th><th scope="col">${v.t('window.24h')}</th><th scope="col">${v.t('window.90d')}</th></tr></thead>
<tbody>${stores.map((s) => storeRow(s, v))}</tbody></table></section>`;
}

/** The banner's words and tone: everything fine, or how many stores are in trouble. */
export function overall(
  stores: readonly PublicStore[],
  t: Translate = statusPageWords('en'),
): { tone: Tone; text: string } {
  const tone = worstTone(stores.map((s) => s.status));
  if (stores.length === 0) return { tone, text: t('banner.none') };
  const troubled = stores.filter((s) => !['healthy', 'unknown', 'maintenance'].includes(s.status)).length;
  if (troubled > 0) return { tone, text: t('banner.troubled', { troubled, total: stores.length }) };
  if (stores.every((s) => s.status === 'unknown')) return { tone, text: t('banner.waiting') };
  return { tone, text: t('banner.ok') };
}

/** Times that belong to no one store (when the page was built) are in the stores' zone when they share one. */
function commonZone(zones: readonly string[]): string {
  const [first, ...rest] = zones;
  return first !== undefined && rest.every((z) => z === first) ? first : 'UTC';
}

export function renderStatusPage(page: PublicPage, only: string | null = null, locale: Locale = 'en') {
  const { status, history } = page;
  const t = statusPageWords(locale);
  const zoneOf = (id: string) => history[id]?.timeZone ?? 'UTC';
  const v: View = { locale, t, zoneOf, timeZone: commonZone(status.stores.map((s) => zoneOf(s.id))) };
  const shown = only === null ? status.stores : status.stores.filter((s) => (s.region ?? OTHER) === only);
  // A region's own page always has its bars: that is what the link from the compact list promises.
  const compact = only === null && shown.length > CARDS_PER_PAGE;
  const regions = new Map<string, PublicStore[]>();
  for (const s of shown) {
    const key = s.region ?? OTHER;
    regions.set(key, [...(regions.get(key) ?? []), s]);
  }
  const names = new Map(status.stores.map((s) => [s.id, s.name]));
  const incidents: NamedIncident[] = Object.entries(history)
    .flatMap(([id, h]) =>
      h.incidents.map((i) => {
        const key = incidentId(id, i);
        return {
          store: names.get(id) ?? id,
          timeZone: zoneOf(id),
          incident: i,
          id: key,
          notes: page.notes?.[key] ?? [],
        };
      }),
    )
    .sort((a, b) => b.incident.start.localeCompare(a.incident.start))
    .slice(0, 20);
  const planned = status.stores
    .flatMap((s) => (s.nextMaintenance ? [{ store: s.name, timeZone: zoneOf(s.id), window: s.nextMaintenance }] : []))
    .sort((a, b) => a.window.start.localeCompare(b.window.start));
  const banner = overall(status.stores, t);
  const updated = moment(status.generatedAt, { locale, timeZone: v.timeZone });
  return html`<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="60"><title>${t('page.title')}</title>
<link rel="icon" href="${faviconHref(banner.tone)}" data-tone="${banner.tone}"><style>${raw(CSS)}</style></head>
<body><main>
<header class="top"><h1>${t('page.title')}</h1><span class="muted">${raw(t('page.updated', { time: `<time class="figure" datetime="${attr(status.generatedAt)}">${updated}</time>` }))}</span>${languageLinks(only, locale, t('page.language'))}</header>
<p class="banner ${banner.tone}" role="status"><span class="dot" aria-hidden="true"></span><span>${banner.text}</span></p>
${only === null ? '' : html`<p><a href="${pageHref(null, locale)}">${t('page.allRegions')}</a></p>`}
${[...regions.entries()].map(([region, stores]) => regionBlock(region, stores, page, compact, v))}
${planned.length === 0 ? '' : html`<section aria-labelledby="planned"><h2 id="planned">${t('page.planned')}</h2>${plannedList(planned, v)}</section>`}
<section aria-labelledby="incidents"><h2 id="incidents">${t('page.incidents')}</h2>
${incidentList(incidents, v)}
</section>
<footer>${t('page.footer')}</footer>
</main></body></html>`;
}
