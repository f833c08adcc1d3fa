import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { badgeFor } from '#extension/lib/badge-model.ts';
import { planNotifications } from '#extension/lib/notify-rules.ts';
import { PAGE_EN } from '#extension/lib/page-catalog.ts';
import { readSettings, settingsItem } from '#extension/lib/storage-items.ts';
import { addWords, BACKGROUND_EN, loadLocale, wordsFor } from '#extension/lib/ui-catalog.ts';
import { ZH_CN } from '#extension/lib/ui-catalog-zh.ts';
import { browserLanguage, localeFor } from '#extension/lib/ui-language.ts';
import { catalogProblems } from '#shared/i18n/catalog.ts';
import { connection, failover, fleet, settings, store, T0 } from './support/fixtures.ts';

const localeFile = (dir: string): Record<string, { message: string }> =>
  JSON.parse(readFileSync(`extension/public/_locales/${dir}/messages.json`, 'utf8'));

beforeEach(() => {
  fakeBrowser.reset();
});

describe('the extension’s catalog', () => {
  it('has every key, with the same placeholders, in English and Chinese (background and pages)', () => {
    expect(catalogProblems({ en: { ...BACKGROUND_EN, ...PAGE_EN }, 'zh-CN': ZH_CN })).toEqual([]);
    // One key, one owner: a page word never shadows a background word.
    expect(Object.keys(PAGE_EN).filter((k) => k in BACKGROUND_EN)).toEqual([]);
  });

  it('has the manifest’s name and description in both _locales', () => {
    const en = localeFile('en');
    const zh = localeFile('zh_CN');
    const plain = (f: typeof en) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.message]));
    expect(catalogProblems({ en: plain(en), 'zh-CN': plain(zh) })).toEqual([]);
    expect(Object.keys(en).sort()).toEqual(['extDescription', 'extName']);
  });
});

describe('which language it speaks', () => {
  it('follows the browser on auto (or when never set), else the setting', () => {
    expect(localeFor(undefined, 'zh-CN')).toBe('zh-CN');
    expect(localeFor('auto', 'zh-TW')).toBe('zh-CN');
    expect(localeFor('auto', 'fr')).toBe('en');
    expect(localeFor('en', 'zh-CN')).toBe('en');
    expect(localeFor('zh-CN', 'en-US')).toBe('zh-CN');
    expect(browserLanguage({ i18n: { getUILanguage: () => 'zh-CN' } })).toBe('zh-CN');
    expect(localeFor('auto', browserLanguage({}))).toBe('en'); // the test runner's navigator is English
  });

  it('keeps the choice with the settings, and settings saved before it read as auto', async () => {
    await settingsItem.setValue(settings({ language: 'zh-CN' }));
    expect((await readSettings()).language).toBe('zh-CN');
    await fakeBrowser.storage.local.set({ settings: settings(), settings$: { v: 2 } });
    const old = await readSettings();
    expect(old.serverUrl).not.toBe('');
    expect(old.language).toBeUndefined();
  });

  it('refuses a language it does not know, rather than trusting storage', async () => {
    await fakeBrowser.storage.local.set({ settings: { ...settings(), language: 'fr' }, settings$: { v: 2 } });
    expect((await readSettings()).serverUrl).toBe('');
  });
});

describe('loading Chinese when it is chosen', () => {
  it('reads the catalog once, takes only its strings, and speaks English until then', async () => {
    const fetched: string[] = [];
    const w = wordsFor('zh-CN');
    expect(w('conn.offline')).toBe('Offline'); // nothing loaded yet: English, never a key
    await loadLocale('zh-CN', async (locale) => {
      fetched.push(locale);
      return { 'conn.offline': '离线', 'conn.connected': 42 };
    });
    await loadLocale('zh-CN', async () => {
      throw new Error('asked twice');
    });
    expect(fetched).toEqual(['zh-CN']);
    expect(w('conn.offline')).toBe('离线');
    expect(w('conn.connected')).toBe('Live'); // a non-string value is not taken
  });
});

describe('badge tooltip and notifications in Chinese', () => {
  // What loadLocale('zh-CN') reads from the built /i18n/zh-CN.json.
  beforeEach(() => addWords('zh-CN', ZH_CN));

  it('writes the tooltip in Chinese, with the store names as they are', () => {
    const badge = badgeFor({
      fleet: fleet([store('a', { name: '天河店', status: 'primary_down' }), store('b')]),
      connection: connection('connected'),
      settings: settings(),
      now: T0 + 1_000,
      locale: 'zh-CN',
    });
    expect(badge.title).toBe('mirrorwatch\n1 家门店需要关注（实时）：\n天河店：主库宕机');
  });

  it('writes notifications in Chinese', () => {
    const previous = [store('a', { name: '天河店' })];
    const next = [
      store('a', { name: '天河店', status: 'failing_over', lastFailover: failover({ state: 'completed' }) }),
    ];
    const plan = planNotifications({ previous, next, settings: settings(), log: {}, now: T0, locale: 'zh-CN' });
    expect(plan.notifications.map((n) => n.title)).toEqual(['天河店：故障切换完成']);
    expect(plan.notifications[0]?.message).toMatch(/→ .+，纪元 \d+$/);
  });
});
