/**
 * Status badges for wikis and dashboards: an SVG in the flat shields style, and the JSON that
 * shields.io's endpoint badge reads. Built from a public store's public view only.
 */
import type { PublicStore, UptimeWindow } from '#shared/schemas/api.ts';
import type { StoreStatusName } from '#shared/schemas/status.ts';

const COLOURS: Record<StoreStatusName, { word: string; hex: string; shields: string }> = {
  healthy: { word: 'operational', hex: '#2e7d32', shields: 'brightgreen' },
  degraded: { word: 'degraded', hex: '#b06000', shields: 'orange' },
  primary_down: { word: 'outage', hex: '#c5221f', shields: 'red' },
  awaiting_confirm: { word: 'outage', hex: '#c5221f', shields: 'red' },
  failing_over: { word: 'recovering', hex: '#1967d2', shields: 'blue' },
  split_brain: { word: 'outage', hex: '#c5221f', shields: 'red' },
  store_unreachable: { word: 'unreachable', hex: '#c5221f', shields: 'red' },
  maintenance: { word: 'maintenance', hex: '#1967d2', shields: 'blue' },
  unknown: { word: 'no data', hex: '#5f6368', shields: 'lightgrey' },
};

export function badgeMessage(store: PublicStore, window: UptimeWindow | null): string {
  const word = COLOURS[store.status].word;
  if (!window) return word;
  const v = store.uptime[window];
  return `${word} · ${v === null ? 'no data' : `${(Math.floor(v * 100) / 100).toFixed(2)}%`} ${window}`;
}

export function shieldsEndpoint(store: PublicStore, window: UptimeWindow | null) {
  return {
    schemaVersion: 1,
    label: store.name,
    message: badgeMessage(store, window),
    color: COLOURS[store.status].shields,
  };
}

const xml = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Verdana 11px averages about 6.5 px a character: enough to size the two halves. */
const width = (text: string) => Math.round(text.length * 6.5 + 12);

export function badgeSvg(store: PublicStore, window: UptimeWindow | null): string {
  const label = store.name;
  const message = badgeMessage(store, window);
  const [lw, mw] = [width(label), width(message)];
  const colour = COLOURS[store.status].hex;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${lw + mw}" height="20" role="img" aria-label="${xml(`${label}: ${message}`)}"><title>${xml(`${label}: ${message}`)}</title><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${mw}" height="20" fill="${colour}"/><g fill="#fff" text-anchor="middle" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11"><text x="${lw / 2}" y="14">${xml(label)}</text><text x="${lw + mw / 2}" y="14">${xml(message)}</text></g></svg>`;
}
