/**
 * The extension's words (issue 18), and how each language's are had. English is built in; Chinese
 * is loaded when asked for (`loadLocale`), from `/i18n/zh-CN.json`, which the build writes from
 * ui-catalog-zh.ts: the background, a service worker, cannot `import()` a chunk, and every byte it
 * carries is loaded on each wake-up. This file holds only the background's words (badge tooltip,
 * notifications, connection, durations); the popup's and options page's are in page-catalog.ts.
 * Status words are the operator's (shared/status-words.ts). `{name}` placeholders.
 */
import { fill, type Params } from '#shared/i18n/catalog.ts';
import { DEFAULT_LOCALE, type Locale } from '#shared/i18n/locale.ts';
import { OPERATOR_WORDS, statusEntries } from '#shared/status-words.ts';
import type { PageKey } from './page-catalog.ts';

export const BACKGROUND_EN = {
  ...statusEntries(OPERATOR_WORDS.en),
  'word.healthy': 'healthy',
  'word.degraded': 'degraded',
  'word.primary_down': 'primary down',
  'word.awaiting_confirm': 'awaiting confirmation',
  'word.failing_over': 'failing over',
  'word.split_brain': 'split brain',
  'word.store_unreachable': 'unreachable',
  'word.maintenance': 'maintenance',
  'word.unknown': 'unknown',
  'conn.connected': 'Live',
  'conn.polling': 'Polling',
  'conn.connecting': 'Connecting…',
  'conn.offline': 'Offline',
  'conn.unauthorized': 'Unauthorized',
  'conn.unconfigured': 'Not configured — open options',
  'ago.now': 'just now',
  'ago.s': '{n} s ago',
  'ago.min': '{n} min ago',
  'ago.h': '{n} h ago',
  'ago.d': '{n} d ago',
  'unit.s': '{s} s',
  'unit.min': '{min} min',
  'unit.minS': '{min} min {s} s',
  'unit.h': '{h} h',
  'unit.hMin': '{h} h {min} min',
  'unit.d': '{d} d',
  'badge.unconfigured': 'Not configured: open the options',
  'badge.refused': 'The server refused the token',
  'badge.unreachable': 'Cannot reach {server}',
  'badge.noData': 'No data yet',
  'badge.stale': 'Stale: last update {ago}',
  'badge.noStores': 'The server reports no stores',
  'badge.noneWatched': 'None of the {count} stores is watched',
  'badge.more': '… and {count} more',
  'badge.attentionOne': '1 store needs attention ({source}):',
  'badge.attentionMany': '{count} stores need attention ({source}):',
  'badge.unknownOne': '1 store not known yet ({source}):',
  'badge.unknownMany': '{count} stores not known yet ({source}):',
  'badge.fineOne': 'All 1 watched store fine ({source})',
  'badge.fineMany': 'All {count} watched stores fine ({source})',
  'badge.maintenance': ', {count} in maintenance',
  'store.status': '{store}: {status}',
  'notify.store': 'Store {id}',
  'notify.awaitingTitle': '{store}: failover awaiting confirmation',
  'notify.promote': 'Promote {node}? ',
  'notify.awaitingText': 'Confirm or leave it in the mirrorwatch popup.',
  'notify.completedTitle': '{store}: failover completed',
  'notify.completedText': '{from} → {to}, epoch {epoch}',
  'notify.failedTitle': '{store}: failover failed',
  'notify.unknownNode': 'unknown',
} as const;

export type BackgroundKey = keyof typeof BACKGROUND_EN;
export type UiKey = BackgroundKey | PageKey;
export type Words = (key: UiKey, params?: Params) => string;

/** The words each language has so far: English's as they are registered, others' once loaded. */
const loaded: Record<Locale, Partial<Record<UiKey, string>>> = { en: { ...BACKGROUND_EN }, 'zh-CN': {} };
const complete = new Set<Locale>(['en']);

/** Adds words to a language (page-catalog.ts adds the pages' English; tests and `loadLocale` add Chinese). */
export function addWords(locale: Locale, words: Partial<Record<UiKey, string>>): void {
  Object.assign(loaded[locale], words);
  if (locale !== DEFAULT_LOCALE) complete.add(locale);
}

/** A key the language lacks (not loaded yet, or a failed load) reads in English rather than not at all. */
export const wordsFor =
  (locale: Locale): Words =>
  (key, params) =>
    fill(loaded[locale][key] ?? loaded.en[key] ?? key, params);

/** English: what pure functions speak when no language is given. */
export const ENGLISH: Words = wordsFor('en');

export type FetchCatalog = (locale: Locale) => Promise<unknown>;

/** The extension's own file: a root-relative URL is the extension's, from the popup and the service worker alike. */
const fetchCatalog: FetchCatalog = async (locale) => {
  const res = await fetch(`/i18n/${locale}.json`);
  if (!res.ok) throw new Error(`/i18n/${locale}.json: HTTP ${res.status}`);
  return res.json();
};

/**
 * Makes a language's words available to `wordsFor`, once; never throws (a catalog that cannot be
 * read leaves English in its place, and says so on the console). Only string values are taken.
 */
export async function loadLocale(locale: Locale, fetchJson: FetchCatalog = fetchCatalog): Promise<void> {
  if (complete.has(locale)) return;
  try {
    const body = await fetchJson(locale);
    if (typeof body !== 'object' || body === null) throw new Error('not an object');
    const words = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string'));
    addWords(locale, words);
  } catch (err) {
    console.error(`mirrorwatch: the ${locale} words could not be loaded:`, err);
  }
}
