/**
 * Pure: what the toolbar badge says. The count of watched stores that need attention, coloured by
 * the worst of them; green only when every watched store is known and fine; grey "?" whenever the
 * extension does not know (stale data, server away, token refused, nothing configured or watched).
 */
import { connectionLabel, isFresh } from './freshness.ts';
import { relativeTime } from './relative-time.ts';
import { bySeverity, needsAttention, STATUS_TONE, STATUS_WORDS } from './status-words.ts';
import { type Connection, type Fleet, isConfigured, type Settings } from './storage-items.ts';
import { watchedOnly } from './watch.ts';
import type { StoreStatus } from './wire.ts';

export type BadgeTone = 'red' | 'amber' | 'blue' | 'green' | 'grey';

/** Dark enough for the white badge text on every one of them. */
export const BADGE_COLORS: Record<BadgeTone, string> = {
  red: '#c5221f',
  amber: '#b06000',
  blue: '#1967d2',
  green: '#137333',
  grey: '#5f6368',
};

export interface Badge {
  text: string;
  tone: BadgeTone;
  color: string;
  title: string;
}

export interface BadgeInput {
  fleet: Fleet;
  connection: Connection;
  settings: Settings;
  now: number;
}

const MAX_TITLE_LINES = 12;

function badge(text: string, tone: BadgeTone, lines: string[]): Badge {
  return { text, tone, color: BADGE_COLORS[tone], title: ['mirrorwatch', ...lines].join('\n') };
}

function storeLines(stores: StoreStatus[]): string[] {
  const lines = stores.slice(0, MAX_TITLE_LINES).map((s) => `${s.name}: ${STATUS_WORDS[s.status]}`);
  if (stores.length > MAX_TITLE_LINES) lines.push(`… and ${stores.length - MAX_TITLE_LINES} more`);
  return lines;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function badgeFor({ fleet, connection, settings, now }: BadgeInput): Badge {
  if (!isConfigured(settings) || connection.state === 'unconfigured') {
    return badge('?', 'grey', ['Not configured: open the options']);
  }
  if (connection.state === 'unauthorized') {
    return badge('?', 'grey', [
      'The server refused the token',
      ...(connection.lastError ? [connection.lastError] : []),
    ]);
  }
  if (connection.state === 'offline') {
    return badge('?', 'grey', [
      `Cannot reach ${settings.serverUrl}`,
      ...(connection.lastError ? [connection.lastError] : []),
    ]);
  }
  if (!isFresh(connection, fleet, settings.serverUrl, now)) {
    const last = fleet.server === settings.serverUrl ? fleet.receivedAt : null;
    return badge('?', 'grey', [last === null ? 'No data yet' : `Stale: last update ${relativeTime(last, now)}`]);
  }
  const source = connectionLabel(connection, fleet, settings.serverUrl, now);
  const watched = watchedOnly(fleet.stores, settings.watch);
  if (watched.length === 0) {
    return badge('?', 'grey', [
      fleet.stores.length === 0
        ? 'The server reports no stores'
        : `None of the ${fleet.stores.length} stores is watched`,
    ]);
  }
  const attention = watched.filter((s) => needsAttention(s.status)).sort(bySeverity);
  const unknown = watched.filter((s) => s.status === 'unknown');
  if (attention.length > 0) {
    const tones = new Set(attention.map((s) => STATUS_TONE[s.status]));
    const tone: BadgeTone = tones.has('red') ? 'red' : tones.has('amber') ? 'amber' : 'blue';
    return badge(String(attention.length), tone, [
      `${plural(attention.length, 'store')} need${attention.length === 1 ? 's' : ''} attention (${source}):`,
      ...storeLines([...attention, ...unknown]),
    ]);
  }
  if (unknown.length > 0) {
    return badge('?', 'grey', [
      `${plural(unknown.length, 'store')} not known yet (${source}):`,
      ...storeLines(unknown),
    ]);
  }
  const maintenance = watched.filter((s) => s.status === 'maintenance').length;
  return badge('OK', 'green', [
    `All ${plural(watched.length, 'watched store')} fine (${source})${maintenance ? `, ${maintenance} in maintenance` : ''}`,
  ]);
}
