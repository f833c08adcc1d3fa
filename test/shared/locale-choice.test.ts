import { describe, expect, it } from 'vitest';
import { dayKey, dayText, percent, zoneName } from '#shared/i18n/format.ts';
import { chooseLocale, fromAcceptLanguage, matchLocale } from '#shared/i18n/locale.ts';

describe('choosing the language', () => {
  it('maps every Chinese tag to zh-CN and every English one to en, and nothing else', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh_CN', 'ZH-tw', 'zh-Hant-HK'])
      expect(matchLocale(tag)).toBe('zh-CN');
    for (const tag of ['en', 'en-GB', 'EN-us']) expect(matchLocale(tag)).toBe('en');
    for (const tag of ['fr', 'ja-JP', '*', '', 'english']) expect(matchLocale(tag)).toBeNull();
  });

  it('takes the best-weighted language it speaks from Accept-Language', () => {
    expect(fromAcceptLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(fromAcceptLanguage('fr-FR, en;q=0.5, zh;q=0.7')).toBe('zh-CN');
    expect(fromAcceptLanguage('en;q=0.9, zh-CN;q=0.2')).toBe('en');
    expect(fromAcceptLanguage('zh;q=0, en;q=0.1')).toBe('en');
    expect(fromAcceptLanguage('de, fr')).toBe('en');
    expect(fromAcceptLanguage(undefined)).toBe('en');
  });

  it('lets ?lang= win over the header, and refuses a language it does not speak', () => {
    expect(chooseLocale('en', 'zh-CN')).toEqual({ ok: true, locale: 'en' });
    expect(chooseLocale(undefined, 'zh-CN')).toEqual({ ok: true, locale: 'zh-CN' });
    expect(chooseLocale('fr', 'en')).toEqual({ ok: false, message: 'lang must be one of en, zh-CN' });
  });
});

describe('dates and figures by locale and zone', () => {
  const iso = '2026-11-21T19:00:00.000Z';
  it('writes the day in the zone and the language', () => {
    expect(dayText(iso, { locale: 'en', timeZone: 'UTC' })).toBe('Sat 21 Nov 2026');
    expect(dayText(iso, { locale: 'zh-CN', timeZone: 'Asia/Shanghai' })).toBe('2026年11月22日周日');
    expect(dayKey(iso, 'Asia/Shanghai')).toBe('2026-11-22');
    expect(zoneName(iso, { locale: 'zh-CN', timeZone: 'Asia/Shanghai' })).toBe('GMT+8');
  });

  it('never rounds a percentage up, and spaces the sign as the language does', () => {
    expect(percent(99.999, 'en')).toBe('99.99 %');
    expect(percent(99.999, 'zh-CN')).toBe('99.99%');
    expect(percent(null, 'zh-CN')).toBe('—');
  });
});
