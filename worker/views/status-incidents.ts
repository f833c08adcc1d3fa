/**
 * The status page's incident list, grouped by day and then by store, so a day with many incidents
 * reads as a short list of stores with the times under each, and no timestamp is repeated in full
 * (issue 17). Times are UTC, the day is the incident's start day in UTC.
 */
import { html } from 'hono/html';
import { duration } from '#shared/failover/words.ts';
import { INCIDENT_WORDS } from '#shared/incident-words.ts';
import type { PublicIncident, PublicWindow } from '#shared/schemas/api.ts';
import type { IncidentNote } from '#shared/schemas/incident-notes.ts';
import type { Tone } from '#shared/status-words.ts';

export interface NamedIncident {
  store: string;
  incident: PublicIncident;
  /** The incident's id (the feed links to it) and operators' public notes on it, oldest first. */
  id?: string;
  notes?: readonly IncidentNote[];
}

const KIND_TONE: Record<PublicIncident['kind'], Tone> = {
  outage: 'bad',
  degraded: 'warn',
  failover: 'info',
  maintenance: 'info',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Sat 21 Nov 2026" for an ISO time's UTC day. */
export function dayText(iso: string): string {
  const d = new Date(iso);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "08:05" of an ISO time, UTC. */
export const clock = (iso: string) => iso.slice(11, 16);

/** Newest day first; within a day, stores in order of their newest incident, each incident once. */
export function groupIncidents(
  list: readonly NamedIncident[],
): Array<{ day: string; stores: Map<string, NamedIncident[]> }> {
  const days: Array<{ day: string; stores: Map<string, NamedIncident[]> }> = [];
  const sorted = [...list].sort((a, b) => b.incident.start.localeCompare(a.incident.start));
  for (const named of sorted) {
    const { store, incident } = named;
    const day = incident.start.slice(0, 10);
    let group = days.at(-1);
    if (group?.day !== day) {
      group = { day, stores: new Map() };
      days.push(group);
    }
    group.stores.set(store, [...(group.stores.get(store) ?? []), named]);
  }
  return days;
}

function span(i: PublicIncident) {
  if (i.end === null) return html`<span class="figure">${clock(i.start)}–now</span>`;
  const sameDay = i.end.slice(0, 10) === i.start.slice(0, 10);
  return html`<span class="figure">${clock(i.start)}–${sameDay ? clock(i.end) : `${dayText(i.end)} ${clock(i.end)}`}</span>`;
}

function outcome(i: PublicIncident): string {
  if (i.end === null) return '(ongoing)';
  const ms = Date.parse(i.end) - Date.parse(i.start);
  return Number.isNaN(ms) || ms <= 0 ? '(resolved)' : `(resolved after ${duration(ms)})`;
}

/** Operators' public notes under their incident, oldest first, as status pages show updates. */
function noteList(notes: readonly IncidentNote[]) {
  if (notes.length === 0) return '';
  return html`<ul class="notes">${notes.map(
    (n) =>
      html`<li><strong>${n.state ? INCIDENT_WORDS.state[n.state] : INCIDENT_WORDS.update}</strong> <time class="figure" datetime="${n.at}">${clock(n.at)}</time> ${n.text}</li>`,
  )}</ul>`;
}

export function incidentList(list: readonly NamedIncident[]) {
  if (list.length === 0) return html`<p class="none">No incidents in the last 14 days.</p>`;
  return groupIncidents(list).map(
    ({ day, stores }) => html`<div class="day"><h3><time datetime="${day}">${dayText(`${day}T00:00:00Z`)}</time></h3>
<ul class="incidents">${[...stores.entries()].map(
      ([store, incidents]) =>
        html`<li><strong>${store}</strong><ul>${incidents.map(
          ({ incident: i, id, notes }) =>
            html`<li class="${i.kind}"${id ? html` id="${id}"` : ''}><span class="dot ${KIND_TONE[i.kind]}" aria-hidden="true"></span>${span(i)} <span>${i.title} ${outcome(i)}</span>${noteList(notes ?? [])}</li>`,
        )}</ul></li>`,
    )}</ul></div>`,
  );
}

export function plannedList(planned: ReadonlyArray<{ store: string; window: PublicWindow }>) {
  const end = (w: PublicWindow) =>
    w.start.slice(0, 10) === w.end.slice(0, 10) ? clock(w.end) : `${dayText(w.end)} ${clock(w.end)}`;
  return html`<ul class="incidents planned">${planned.map(
    (p) =>
      html`<li><strong>${p.store}</strong><ul><li><span class="dot info" aria-hidden="true"></span><span><time class="figure" datetime="${p.window.start}">${dayText(p.window.start)} ${clock(p.window.start)}</time>–<time class="figure" datetime="${p.window.end}">${end(p.window)}</time> UTC</span></li></ul></li>`,
  )}</ul>`;
}
