/**
 * The languages mirrorwatch speaks (issue 18): English and Simplified Chinese, one tag each, and how
 * a request's `?lang=` or `Accept-Language` picks one. Pure: callers pass the header and the query.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** A language tag to one of ours, or null: `zh`, `zh-CN`, `zh-Hans`, `zh_CN` → zh-CN; `en-GB` → en. */
export function matchLocale(tag: string): Locale | null {
  const t = tag.trim().toLowerCase().replace(/_/g, '-');
  if (t === 'zh' || t.startsWith('zh-')) return 'zh-CN';
  if (t === 'en' || t.startsWith('en-')) return 'en';
  return null;
}

/** The best of ours in an `Accept-Language` header (by q, then order), or the default. */
export function fromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { locale: matchLocale(tag), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.locale !== null && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.locale ?? DEFAULT_LOCALE;
}

export type LocaleChoice = { ok: true; locale: Locale } | { ok: false; message: string };

/** `?lang=` wins when given (and must be one of ours), else `Accept-Language`. */
export function chooseLocale(query: string | undefined, acceptLanguage: string | null | undefined): LocaleChoice {
  if (query === undefined) return { ok: true, locale: fromAcceptLanguage(acceptLanguage) };
  const locale = matchLocale(query);
  if (locale === null) return { ok: false, message: `lang must be one of ${LOCALES.join(', ')}` };
  return { ok: true, locale };
}
