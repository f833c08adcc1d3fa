/**
 * The status page's links: each keeps the page's language, and the language switcher is plain
 * links (no script), each naming its language in that language.
 */
import { html } from 'hono/html';
import { LOCALES, type Locale } from '#shared/i18n/locale.ts';

const NATIVE_NAME: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

/** `?lang=…`, with `region=…` first when the link is to one region's page. */
export function pageHref(region: string | null, locale: Locale): string {
  const lang = `lang=${encodeURIComponent(locale)}`;
  return region === null ? `?${lang}` : `?region=${encodeURIComponent(region)}&${lang}`;
}

export function languageLinks(region: string | null, current: Locale, label: string) {
  return html`<nav class="langs" aria-label="${label}">${LOCALES.map((l) =>
    l === current
      ? html`<span aria-current="true" lang="${l}">${NATIVE_NAME[l]}</span>`
      : html`<a href="${pageHref(region, l)}" hreflang="${l}" lang="${l}">${NATIVE_NAME[l]}</a>`,
  )}</nav>`;
}
