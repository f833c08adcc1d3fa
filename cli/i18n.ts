/**
 * Which language the CLI speaks (`--lang`, else LC_ALL, LC_MESSAGES, LANG as POSIX orders them) and
 * the one function that turns a catalog key and its values into text.
 */
import { en, type MessageKey } from './catalog/en.ts';
import { zhCN } from './catalog/zh-CN.ts';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export const CATALOGS: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** `--lang` as given (null when unknown), or from the locale variables: any `zh*` locale is zh-CN. */
export function pickLang(flag: string | undefined, env: Record<string, string | undefined>): Lang | null {
  if (flag !== undefined) {
    const wanted = flag.toLowerCase().replace('_', '-');
    if (wanted === 'en') return 'en';
    if (wanted === 'zh' || wanted === 'zh-cn' || wanted === 'zh-hans') return 'zh-CN';
    return null;
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function translator(lang: Lang): Translate {
  const catalog = CATALOGS[lang];
  return (key, params = {}) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
