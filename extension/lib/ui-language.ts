/**
 * Which language the extension speaks: the options' choice (auto, English, 中文), where auto follows
 * the browser's UI language. Pure functions take the locale; the popup and options pages read the
 * `uiLocale` signal, so a change of setting re-renders them in the new language.
 */
import { signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { DEFAULT_LOCALE, type Locale, matchLocale } from '#shared/i18n/locale.ts';
import { readSettings, type Settings, settingsItem } from './storage-items.ts';
import { type Words, wordsFor } from './ui-catalog.ts';

export const LANGUAGE_SETTINGS = ['auto', 'en', 'zh-CN'] as const;
export type LanguageSetting = (typeof LANGUAGE_SETTINGS)[number];

/**
 * The browser's UI language. Without `i18n.getUILanguage` (WXT's fakeBrowser throws "not
 * implemented") the page's `navigator.language` stands in, then English.
 */
export function browserLanguage(b: { i18n?: { getUILanguage?: () => string } } = browser): string {
  try {
    const ui = b.i18n?.getUILanguage?.();
    if (ui) return ui;
  } catch (err) {
    if (!(err instanceof Error && /not implemented/i.test(err.message))) throw err;
  }
  return globalThis.navigator?.language ?? DEFAULT_LOCALE;
}

export function localeFor(setting: LanguageSetting | undefined, uiLanguage: string): Locale {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return matchLocale(uiLanguage) ?? DEFAULT_LOCALE;
}

export const settingsLocale = (settings: Pick<Settings, 'language'>, uiLanguage = browserLanguage()) =>
  localeFor(settings.language, uiLanguage);

/** The popup's and options page's language; components read it through `t`. */
export const uiLocale = signal<Locale>(DEFAULT_LOCALE);

export const t: Words = (key, params) => wordsFor(uiLocale.value)(key, params);

/** Sets `uiLocale` (and the page's `lang`) from the settings, now and whenever they change. */
export async function followLanguage(doc: Document = document): Promise<void> {
  const apply = (settings: Settings) => {
    uiLocale.value = settingsLocale(settings);
    doc.documentElement.lang = uiLocale.value;
  };
  apply(await readSettings());
  settingsItem.watch(() => void readSettings().then(apply));
}
