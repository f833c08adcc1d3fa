/** The CLI's two catalogs say the same things: every key in both, with the same placeholders. */
import { describe, expect, it } from 'vitest';
import { en } from '#cli/catalog/en.ts';
import { CATALOGS, LANGS, pickLang, translator } from '#cli/i18n.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('CLI catalogs', () => {
  it('every language has every English key, and no key English lacks', () => {
    for (const lang of LANGS) {
      const keys = Object.keys(CATALOGS[lang]).sort();
      expect(keys, lang).toEqual(Object.keys(en).sort());
    }
  });

  it('every message is non-empty and carries the same placeholders as the English one', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(CATALOGS[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('the Chinese catalog is Chinese, not a copy of the English one', () => {
    const same = Object.entries(CATALOGS['zh-CN']).filter(([key, text]) => text === en[key as keyof typeof en]);
    // Only messages that are nothing but a placeholder may read the same in both.
    expect(same.map(([key]) => key)).toEqual(['error.badOption', 'error.keys']);
  });

  it('picks the language from --lang, then LC_ALL, LC_MESSAGES and LANG in that order', () => {
    expect(pickLang('zh-CN', { LANG: 'en_US.UTF-8' })).toBe('zh-CN');
    expect(pickLang('zh_cn', {})).toBe('zh-CN');
    expect(pickLang('en', { LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(pickLang('fr', {})).toBeNull();
    expect(pickLang(undefined, { LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(pickLang(undefined, { LC_ALL: 'en_GB.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe('en');
    expect(pickLang(undefined, { LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US' })).toBe('zh-CN');
    expect(pickLang(undefined, {})).toBe('en');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    const t = translator('zh-CN');
    expect(t('config.summary', { added: 1, changed: 2, removed: 3 })).toBe('新增 1，变更 2，删除 3');
    expect(translator('en')('error.refused', {})).toBe('refused: {message}');
  });
});
