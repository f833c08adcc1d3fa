import { describe, expect, it } from 'vitest';
import { catalogProblems } from '#shared/i18n/catalog.ts';
import { STATUS_PAGE_CATALOG } from '#shared/i18n/status-page-catalog.ts';
import { INCIDENT_WORDS, incidentEntries } from '#shared/incident-words.ts';
import { INCIDENT_TITLES } from '#shared/public-incidents.ts';
import { cacheKeyUrl } from '#worker/http/edge-cache.ts';
import { type PublicPage, renderStatusPage } from '#worker/views/status-page.ts';
import { watchedStore } from './support.ts';

function page(timeZone: string): PublicPage {
  return {
    status: {
      generatedAt: '2026-11-21T20:05:00.000Z',
      stores: [
        {
          id: 'tianhe',
          name: 'Tianhe',
          region: 'South China',
          status: 'primary_down',
          since: '2026-11-21T20:00:00.000Z',
          uptime: { '24h': 99.5, '7d': 99.95, '30d': 99.9, '90d': 99.876 },
          nextMaintenance: { start: '2026-11-22T02:00:00.000Z', end: '2026-11-22T03:30:00.000Z' },
        },
      ],
    },
    history: {
      tianhe: {
        timeZone,
        days: [{ date: '2026-11-21', availability: 97.5, downtimeMinutes: 36, failovers: 2 }],
        incidents: [
          {
            kind: 'outage',
            title: 'Outage: the store database was unavailable',
            start: '2026-11-21T19:00:00.000Z',
            end: '2026-11-21T19:03:00.000Z',
          },
        ],
        planned: null,
      },
    },
  };
}

describe('the status page in two languages', () => {
  it('has every key, with the same placeholders, in English and Chinese', () => {
    expect(catalogProblems(STATUS_PAGE_CATALOG)).toEqual([]);
    expect(catalogProblems(INCIDENT_TITLES)).toEqual([]);
    // The notes' states and the feed's words.
    expect(
      catalogProblems({ en: incidentEntries(INCIDENT_WORDS.en), 'zh-CN': incidentEntries(INCIDENT_WORDS['zh-CN']) }),
    ).toEqual([]);
    // The check itself can fail: a missing key and a renamed placeholder are both reported.
    const broken = { en: { a: 'x {n}', b: 'y' }, 'zh-CN': { a: '甲 {count}' } };
    expect(catalogProblems(broken)).toEqual([
      'zh-CN: "a" has placeholders {count}, en has {n}',
      'zh-CN: "b" is missing',
    ]);
  });

  it('speaks Chinese with lang="zh-CN", in the store’s time zone, with Chinese dates and figures', async () => {
    const html = String(await renderStatusPage(page('Asia/Shanghai'), null, 'zh-CN'));
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>门店状态</title>');
    expect(html).toContain('<span class="pill bad">服务中断</span>');
    expect(html).toContain('1 家门店中有 1 家需要关注。');
    // 19:00 UTC is 03:00 the next day in Shanghai: the incident belongs to the 22nd there.
    expect(html).toContain('<time datetime="2026-11-22">2026年11月22日周日</time>');
    expect(html).toContain('03:00–03:03</span> <span>服务中断：门店数据库无法使用（3 分钟后恢复）');
    expect(html).toContain(
      '更新于 <time class="figure" datetime="2026-11-21T20:05:00.000Z">2026年11月22日周日 04:05 GMT+8</time>',
    );
    expect(html).toContain('<dd class="figure">99.87%</dd>');
    expect(html).toContain('title="2026-11-21：97.50%，中断 36 分钟，2 次切换"');
    expect(html).toContain('10:00</time>–<time class="figure" datetime="2026-11-22T03:30:00.000Z">11:30</time> GMT+8');
    expect(html).not.toMatch(/Outage|Operational|Recent incidents/);
  });

  it('names the group of stores without a region in the page’s language, while ?region=Other still finds it', async () => {
    const p = page('UTC');
    const [store] = p.status.stores;
    if (!store) throw new Error('the page has a store');
    const regionless = { ...p, status: { ...p.status, stores: [{ ...store, region: null }] } };
    const zh = String(await renderStatusPage(regionless, null, 'zh-CN'));
    expect(zh).toContain('>其他地区</h2>');
    expect(zh).not.toContain('>Other</h2>');
    expect(String(await renderStatusPage(regionless, null, 'en'))).toContain('>Other</h2>');
    expect(String(await renderStatusPage(regionless, 'Other', 'zh-CN'))).toContain('Tianhe');
  });

  it('links to the other language with plain links that keep the region', async () => {
    const html = String(await renderStatusPage(page('UTC'), 'South China', 'en'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<a href="?region=South%20China&amp;lang=zh-CN" hreflang="zh-CN" lang="zh-CN">中文</a>');
    expect(html).toContain('<span aria-current="true" lang="en">English</span>');
    expect(html).not.toContain('<script');
    expect(html).toContain(
      '19:00–19:03</span> <span>Outage: the store database was unavailable (resolved after 3 min)',
    );
  });

  it('keys the edge cache on the chosen language, and on nothing else from the URL', () => {
    const key = (url: string, lang: string) => cacheKeyUrl(url, ['region'], 'f', { lang });
    expect(key('https://x/status?lang=ZH&utm=1', 'zh-CN')).toBe('https://x/status?lang=zh-CN&fleet=f');
    expect(key('https://x/status?region=East&lang=en&x=2', 'en')).toBe('https://x/status?region=East&lang=en&fleet=f');
    expect(key('https://x/status', 'en')).not.toBe(key('https://x/status', 'zh-CN'));
  });
});

describe('the status page route', () => {
  it('follows ?lang= first, then Accept-Language, and caches each language apart', async () => {
    const { api } = await watchedStore({ store: { timezone: 'Asia/Shanghai' } });
    const zh = await api.call('/status', { headers: { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(await zh.text()).toContain('<html lang="zh-CN">');
    const en = await api.call('/status?lang=en', { headers: { 'Accept-Language': 'zh-CN' } });
    expect(await en.text()).toContain('<html lang="en">');
    // A second Chinese reader, by header or by link, is served the cached Chinese page.
    const again = await api.call('/status?lang=zh', { headers: { 'Accept-Language': 'en' } });
    expect(again.headers.get('x-mirrorwatch-cache')).toBe('hit');
    expect(await again.text()).toContain('<html lang="zh-CN">');
    const fr = await api.call('/status', { headers: { 'Accept-Language': 'fr-FR, de;q=0.5' } });
    expect(await fr.text()).toContain('<html lang="en">');
  });

  it('refuses a language it does not speak with a 400 that names the choices', async () => {
    const { api } = await watchedStore();
    const res = await api.call('/status?lang=fr');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'invalid_query', message: 'lang must be one of en, zh-CN' },
    });
  });
});
