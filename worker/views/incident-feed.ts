/**
 * The public incident feed (`/status/feed.atom`), Atom as RFC 4287 defines it: one entry per
 * incident of the public stores, updated when it ends or an operator posts a note. Built from the
 * public page's data only (names, public titles and times, public notes), so nothing internal can
 * reach it; the store's id appears only inside the incident's id, as on the public status API.
 * Its words, titles and the times in its text follow `?lang=` (times in the store's own zone); the
 * machine times (`published`, `updated`) stay ISO, as Atom wants them.
 */

import type { PublicPage } from '#shared/fleet/public-page.ts';
import { fill } from '#shared/i18n/catalog.ts';
import type { Locale } from '#shared/i18n/locale.ts';
import { incidentId } from '#shared/incident-id.ts';
import { INCIDENT_WORDS, type IncidentWords } from '#shared/incident-words.ts';
import { incidentTitle } from '#shared/public-incidents.ts';
import type { PublicIncident } from '#shared/schemas/api.ts';
import type { IncidentNote } from '#shared/schemas/incident-notes.ts';
import { moment } from './status-incidents.ts';

const MAX_ENTRIES = 50;

const xml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

interface Entry {
  id: string;
  store: string;
  incident: PublicIncident;
  notes: IncidentNote[];
  updated: string;
  timeZone: string;
}

/** The entry's text as HTML (escaped once here, and once more as the element's content). */
function entryHtml(e: Entry, locale: Locale, W: IncidentWords): string {
  const { incident: i } = e;
  const z = { locale, timeZone: e.timeZone };
  const stop = locale === 'en' ? '. ' : '。';
  const started = `${xml(W.started)}${W.colon}${xml(moment(i.start, z))}${stop}`;
  const ended = i.end ? `${xml(W.ended)}${W.colon}${xml(moment(i.end, z))}${stop}` : xml(W.ongoing);
  const lines = [`<p>${started}${ended}</p>`];
  if (e.notes.length > 0) {
    const notes = e.notes.map(
      (n) =>
        `<li><strong>${xml(n.state ? W.state[n.state] : W.update)}</strong> (${xml(moment(n.at, z))})${W.colon}${xml(n.text)}</li>`,
    );
    lines.push(`<ul>${notes.join('')}</ul>`);
  }
  return lines.join('');
}

function entryXml(e: Entry, origin: string, pageUrl: string, locale: Locale): string {
  const W = INCIDENT_WORDS[locale];
  const latest = e.notes.at(-1);
  const title = [e.store, ...(latest?.state ? [W.state[latest.state]] : []), incidentTitle(e.incident, locale)].join(
    W.colon,
  );
  return `<entry>
<id>${xml(`${origin}/status#${e.id}`)}</id>
<title>${xml(title)}</title>
<published>${xml(e.incident.start)}</published>
<updated>${xml(e.updated)}</updated>
<link rel="alternate" type="text/html" href="${xml(`${pageUrl}#${e.id}`)}"/>
<category term="${xml(e.incident.kind)}"/>
<content type="html">${xml(entryHtml(e, locale, W))}</content>
</entry>`;
}

/** Atom for the public stores (of one region when `region` is given), newest change first. */
export function renderIncidentFeed(
  page: PublicPage,
  origin: string,
  region: string | null,
  locale: Locale = 'en',
): string {
  const W = INCIDENT_WORDS[locale];
  const stores = page.status.stores.filter((s) => region === null || (s.region ?? 'Other') === region);
  const entries: Entry[] = stores
    .flatMap((s) =>
      (page.history[s.id]?.incidents ?? []).map((incident) => {
        const id = incidentId(s.id, incident);
        const notes = page.notes[id] ?? [];
        // ISO times in UTC sort as strings: the latest of start, end and notes.
        const updated = [incident.start, incident.end ?? '', ...notes.map((n) => n.at)].sort().at(-1);
        const timeZone = page.history[s.id]?.timeZone ?? 'UTC';
        return { id, store: s.name, incident, notes, updated: updated ?? incident.start, timeZone };
      }),
    )
    .sort((a, b) => b.updated.localeCompare(a.updated))
    .slice(0, MAX_ENTRIES);
  const params = new URLSearchParams();
  if (region !== null) params.set('region', region);
  if (locale !== 'en') params.set('lang', locale);
  const query = params.size === 0 ? '' : `?${params}`;
  const self = `${origin}/status/feed.atom${query}`;
  const pageUrl = `${origin}/status${query}`;
  const updated = entries[0]?.updated ?? page.status.generatedAt;
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
<id>${xml(self)}</id>
<title>${xml(region === null ? W.feedTitle : fill(W.feedRegionTitle, { region }))}</title>
<updated>${xml(updated)}</updated>
<author><name>${xml(W.author)}</name></author>
<link rel="self" type="application/atom+xml" href="${xml(self)}"/>
<link rel="alternate" type="text/html" href="${xml(pageUrl)}"/>
<generator>mirrorwatch</generator>
${entries.map((e) => entryXml(e, origin, pageUrl, locale)).join('\n')}
</feed>
`;
}
