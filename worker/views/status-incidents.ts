/**
 * The status page's incident list, grouped by day and then by store, so a day with many incidents
 * reads as a short list of stores with the times under each, and no timestamp is repeated in full
 * (issue 17). Times and days are in each store's time zone, in the page's language (issue 18).
 */
import { html } from 'hono/html';
import { clockText, dayKey, dayText, type Zoned, zoneName } from '#shared/i18n/format.ts';
import type { Locale } from '#shared/i18n/locale.ts';
import { durationWords, type Translate } from '#shared/i18n/status-page-catalog.ts';
import { INCIDENT_WORDS } from '#shared/incident-words.ts';
import { incidentTitle } from '#shared/public-incidents.ts';
import type { PublicIncident, PublicWindow } from '#shared/schemas/api.ts';
import type { IncidentNote } from '#shared/schemas/incident-notes.ts';
import type { Tone } from '#shared/status-words.ts';

export interface NamedIncident {
  store: string;
  /** The store's IANA time zone. */
  timeZone: string;
  incident: PublicIncident;
  /** The incident's id (the feed links to it) and operators' public notes on it, oldest first. */
  id?: string;
  notes?: readonly IncidentNote[];
}

/** How the page speaks: its language, its words, and the zone of times that belong to no store. */
export interface PageVoice {
  locale: Locale;
  t: Translate;
  timeZone: string;
}

const KIND_TONE: Record<PublicIncident['kind'], Tone> = {
  outage: 'bad',
  degraded: 'warn',
  failover: 'info',
  maintenance: 'info',
};

/** "Sat 21 Nov 2026 08:05 UTC" / "2026年11月21日周六 16:05 GMT+8". */
export const moment = (iso: string, z: Zoned) => `${dayText(iso, z)} ${clockText(iso, z)} ${zoneName(iso, z)}`;

interface StoreGroup {
  timeZone: string;
  incidents: NamedIncident[];
}

/** Newest day first (each incident on its store's calendar day); within a day, stores by newest incident. */
export function groupIncidents(
  list: readonly NamedIncident[],
): Array<{ day: string; stores: Map<string, StoreGroup> }> {
  const days: Array<{ day: string; stores: Map<string, StoreGroup> }> = [];
  const sorted = [...list].sort((a, b) => b.incident.start.localeCompare(a.incident.start));
  for (const named of sorted) {
    const { store, timeZone, incident } = named;
    const day = dayKey(incident.start, timeZone);
    let group = days.find((d) => d.day === day);
    if (!group) {
      group = { day, stores: new Map() };
      days.push(group);
    }
    const entry = group.stores.get(store) ?? { timeZone, incidents: [] };
    group.stores.set(store, { timeZone, incidents: [...entry.incidents, named] });
  }
  return days.sort((a, b) => b.day.localeCompare(a.day));
}

function span(i: PublicIncident, z: Zoned, t: Translate) {
  const start = clockText(i.start, z);
  if (i.end === null) return html`<span class="figure">${t('incident.now', { start })}</span>`;
  const sameDay = dayKey(i.end, z.timeZone) === dayKey(i.start, z.timeZone);
  const end = sameDay ? clockText(i.end, z) : `${dayText(i.end, z)} ${clockText(i.end, z)}`;
  return html`<span class="figure">${start}–${end}</span>`;
}

function outcome(i: PublicIncident, t: Translate): string {
  if (i.end === null) return t('incident.ongoing');
  const ms = Date.parse(i.end) - Date.parse(i.start);
  return Number.isNaN(ms) || ms <= 0
    ? t('incident.resolved')
    : t('incident.resolvedAfter', { duration: durationWords(t, ms) });
}

/** Operators' public notes under their incident, oldest first, as status pages show updates. */
function noteList(notes: readonly IncidentNote[], z: Zoned) {
  if (notes.length === 0) return '';
  const w = INCIDENT_WORDS[z.locale];
  return html`<ul class="notes">${notes.map(
    (n) =>
      html`<li><strong>${n.state ? w.state[n.state] : w.update}</strong> <time class="figure" datetime="${n.at}">${clockText(n.at, z)}</time> ${n.text}</li>`,
  )}</ul>`;
}

export function incidentList(list: readonly NamedIncident[], voice: PageVoice) {
  const { locale, t } = voice;
  if (list.length === 0) return html`<p class="none">${t('incident.none')}</p>`;
  return groupIncidents(list).map(
    ({
      day,
      stores,
    }) => html`<div class="day"><h3><time datetime="${day}">${dayText(`${day}T12:00:00Z`, { locale, timeZone: 'UTC' })}</time></h3>
<ul class="incidents">${[...stores.entries()].map(([store, { timeZone, incidents }]) => {
      const z = { locale, timeZone };
      const first = incidents[0]?.incident.start ?? `${day}T12:00:00Z`;
      return html`<li><strong>${store}</strong> <span class="muted zone">${zoneName(first, z)}</span><ul>${incidents.map(
        ({ incident: i, id, notes }) =>
          html`<li class="${i.kind}"${id ? html` id="${id}"` : ''}><span class="dot ${KIND_TONE[i.kind]}" aria-hidden="true"></span>${span(i, z, t)} <span>${incidentTitle(i, locale)}${outcome(i, t)}</span>${noteList(notes ?? [], z)}</li>`,
      )}</ul></li>`;
    })}</ul></div>`,
  );
}

export function plannedList(
  planned: ReadonlyArray<{ store: string; timeZone: string; window: PublicWindow }>,
  voice: PageVoice,
) {
  return html`<ul class="incidents planned">${planned.map((p) => {
    const z = { locale: voice.locale, timeZone: p.timeZone };
    const { start, end } = p.window;
    const endText =
      dayKey(start, z.timeZone) === dayKey(end, z.timeZone)
        ? clockText(end, z)
        : `${dayText(end, z)} ${clockText(end, z)}`;
    return html`<li><strong>${p.store}</strong><ul><li><span class="dot info" aria-hidden="true"></span><span><time class="figure" datetime="${start}">${dayText(start, z)} ${clockText(start, z)}</time>–<time class="figure" datetime="${end}">${endText}</time> ${zoneName(start, z)}</span></li></ul></li>`;
  })}</ul>`;
}
