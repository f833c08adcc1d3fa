/**
 * Which language the extension speaks: the options' choice (auto, English, 中文), where auto follows
 * the browser's UI language. Pure, and light enough for the background; the pages' `t` and their
 * language signal are in page-words.ts.
 */
import { browser } from 'wxt/browser';
import { DEFAULT_LOCALE, type Locale, matchLocale } from '#shared/i18n/locale.ts';
import type { Settings } from './storage-items.ts';

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
