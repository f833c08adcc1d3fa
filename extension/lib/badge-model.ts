/**
 * Pure: what the toolbar badge says. The count of watched stores that need attention, coloured by
 * the worst of them; green only when every watched store is known and fine; grey "?" whenever the
 * extension does not know (stale data, server away, token refused, nothing configured or watched).
 */
import type { Locale } from '#shared/i18n/locale.ts';
import { connectionLabel, isFresh } from './freshness.ts';
import { relativeTime } from './relative-time.ts';
import { bySeverity, needsAttention, STATUS_TONE } from './status-words.ts';
import { type Connection, type Fleet, isConfigured, type Settings } from './storage-items.ts';
import { type Words, wordsFor } from './ui-catalog.ts';
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
  /** The tooltip's language (English when not given). */
  locale?: Locale;
}

const MAX_TITLE_LINES = 12;

function badge(text: string, tone: BadgeTone, lines: string[]): Badge {
  return { text, tone, color: BADGE_COLORS[tone], title: ['mirrorwatch', ...lines].join('\n') };
}

function storeLines(stores: StoreStatus[], w: Words): string[] {
  const lines = stores
    .slice(0, MAX_TITLE_LINES)
    .map((s) => w('store.status', { store: s.name, status: w(`word.${s.status}`) }));
  if (stores.length > MAX_TITLE_LINES) lines.push(w('badge.more', { count: stores.length - MAX_TITLE_LINES }));
  return lines;
}

export function badgeFor({ fleet, connection, settings, now, locale = 'en' }: BadgeInput): Badge {
  const w = wordsFor(locale);
  const error = connection.lastError ? [connection.lastError] : [];
  if (!isConfigured(settings) || connection.state === 'unconfigured') {
    return badge('?', 'grey', [w('badge.unconfigured')]);
  }
  if (connection.state === 'unauthorized') return badge('?', 'grey', [w('badge.refused'), ...error]);
  if (connection.state === 'offline') {
    return badge('?', 'grey', [w('badge.unreachable', { server: settings.serverUrl }), ...error]);
  }
  if (!isFresh(connection, fleet, settings.serverUrl, now)) {
    const last = fleet.server === settings.serverUrl ? fleet.receivedAt : null;
    return badge('?', 'grey', [
      last === null ? w('badge.noData') : w('badge.stale', { ago: relativeTime(last, now, w) }),
    ]);
  }
  const source = connectionLabel(connection, fleet, settings.serverUrl, now, w);
  const watched = watchedOnly(fleet.stores, settings.watch);
  if (watched.length === 0) {
    return badge('?', 'grey', [
      fleet.stores.length === 0 ? w('badge.noStores') : w('badge.noneWatched', { count: fleet.stores.length }),
    ]);
  }
  const attention = watched.filter((s) => needsAttention(s.status)).sort(bySeverity);
  const unknown = watched.filter((s) => s.status === 'unknown');
  if (attention.length > 0) {
    const tones = new Set(attention.map((s) => STATUS_TONE[s.status]));
    const tone: BadgeTone = tones.has('red') ? 'red' : tones.has('amber') ? 'amber' : 'blue';
    const head = w(attention.length === 1 ? 'badge.attentionOne' : 'badge.attentionMany', {
      count: attention.length,
      source,
    });
    return badge(String(attention.length), tone, [head, ...storeLines([...attention, ...unknown], w)]);
  }
  if (unknown.length > 0) {
    const head = w(unknown.length === 1 ? 'badge.unknownOne' : 'badge.unknownMany', { count: unknown.length, source });
    return badge('?', 'grey', [head, ...storeLines(unknown, w)]);
  }
  const maintenance = watched.filter((s) => s.status === 'maintenance').length;
  const fine = w(watched.length === 1 ? 'badge.fineOne' : 'badge.fineMany', { count: watched.length, source });
  return badge('OK', 'green', [`${fine}${maintenance ? w('badge.maintenance', { count: maintenance }) : ''}`]);
}
