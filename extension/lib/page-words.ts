/**
 * The popup's and options page's language: the `uiLocale` signal (so a change of setting re-renders
 * them in the new language) and `t`, which components call. A language's words are loaded before
 * the signal turns to it, so a page never shows keys or half a language.
 */
import { signal } from '@preact/signals';
import { DEFAULT_LOCALE, type Locale } from '#shared/i18n/locale.ts';
import './page-catalog.ts';
import { readSettings, type Settings, settingsItem } from './storage-items.ts';
import { type FetchCatalog, loadLocale, type Words, wordsFor } from './ui-catalog.ts';
import { settingsLocale } from './ui-language.ts';

export const uiLocale = signal<Locale>(DEFAULT_LOCALE);

export const t: Words = (key, params) => wordsFor(uiLocale.value)(key, params);

/** Loads the language's words, then turns the pages (and the document's `lang`) to it. */
export async function switchLocale(locale: Locale, doc?: Document, fetchJson?: FetchCatalog): Promise<void> {
  await loadLocale(locale, fetchJson);
  uiLocale.value = locale;
  if (doc) doc.documentElement.lang = locale;
}

/** Sets the language from the settings, now and whenever they change. */
export async function followLanguage(doc: Document = document): Promise<void> {
  const apply = (settings: Settings) => switchLocale(settingsLocale(settings), doc);
  settingsItem.watch(() => void readSettings().then(apply));
  await apply(await readSettings());
}
