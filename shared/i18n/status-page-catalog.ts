/**
 * Every word of the public status page, in English and Chinese (issue 18). The status words follow
 * shared/status-words.ts: public words only, never an operator's.
 */
import type { StoreStatusName } from '../schemas/status.ts';
import { PUBLIC_WORDS, statusEntries } from '../status-words.ts';
import { fill, type Params } from './catalog.ts';
import type { Locale } from './locale.ts';

const en = {
  ...statusEntries(PUBLIC_WORDS.en),
  'page.title': 'Store status',
  'page.updated': 'Updated {time}',
  'page.allRegions': 'All regions',
  'page.planned': 'Planned maintenance',
  'page.incidents': 'Recent incidents',
  'page.footer':
    "Availability is the share of monitored time during which the store's database was serving. Days and times follow each store's time zone.",
  'page.language': 'Language',
  'banner.none': 'No stores are published yet.',
  'banner.troubled': '{troubled} of {total} stores need attention.',
  'banner.waiting': 'Waiting for the first checks.',
  'banner.ok': 'All stores are operational.',
  'region.one': '{count} store',
  'region.many': '{count} stores',
  'region.history': 'daily history',
  'region.other': 'Other',
  'table.store': 'Store',
  'table.status': 'Status',
  'window.24h': '24 h',
  'window.7d': '7 d',
  'window.30d': '30 d',
  'window.90d': '90 d',
  'bar.none': 'No history yet.',
  'bar.label': '{store}: daily availability over the last {days} days, {overall} overall',
  'bar.daysAgo': '{days} days ago',
  'bar.today': 'today',
  'day.noData': '{date}: no data',
  'day.figure': '{date}: {availability}',
  'day.down': ', {minutes} min down',
  'day.failover': ', 1 failover',
  'day.failovers': ', {count} failovers',
  'uptime.waiting': 'Waiting for the first checks',
  'uptime.since': 'Monitoring since {time}',
  'store.redundancyRestored': 'Redundancy restored {time}',
  'incident.now': '{start}–now',
  // English puts a space before its brackets; Chinese full-width brackets carry their own.
  'incident.ongoing': ' (ongoing)',
  'incident.resolved': ' (resolved)',
  'incident.resolvedAfter': ' (resolved after {duration})',
  'incident.none': 'No incidents in the last 14 days.',
  'duration.s': '{s} s',
  'duration.min': '{min} min',
  'duration.h': '{h} h',
  'duration.hMin': '{h} h {min} min',
} as const;

export type StatusPageKey = keyof typeof en;

const zhCN: Record<StatusPageKey, string> = {
  ...statusEntries(PUBLIC_WORDS['zh-CN']),
  'page.title': '门店状态',
  'page.updated': '更新于 {time}',
  'page.allRegions': '全部地区',
  'page.planned': '计划维护',
  'page.incidents': '近期事件',
  'page.footer': '可用率是门店数据库在受监控时间内正常服务的时间占比。日期和时间均按各门店的时区显示。',
  'page.language': '语言',
  'banner.none': '尚未发布任何门店。',
  'banner.troubled': '{total} 家门店中有 {troubled} 家需要关注。',
  'banner.waiting': '正在等待首次检查。',
  'banner.ok': '所有门店运行正常。',
  'region.one': '{count} 家门店',
  'region.many': '{count} 家门店',
  'region.history': '每日记录',
  'region.other': '其他地区',
  'table.store': '门店',
  'table.status': '状态',
  'window.24h': '24 小时',
  'window.7d': '7 天',
  'window.30d': '30 天',
  'window.90d': '90 天',
  'bar.none': '暂无历史记录。',
  'bar.label': '{store}：最近 {days} 天的每日可用率，总计 {overall}',
  'bar.daysAgo': '{days} 天前',
  'bar.today': '今天',
  'day.noData': '{date}：无数据',
  'day.figure': '{date}：{availability}',
  'day.down': '，中断 {minutes} 分钟',
  'day.failover': '，1 次切换',
  'day.failovers': '，{count} 次切换',
  'uptime.waiting': '正在等待首次检查',
  'uptime.since': '自 {time} 起监控',
  'store.redundancyRestored': '冗余已恢复 {time}',
  'incident.now': '{start}–至今',
  'incident.ongoing': '（进行中）',
  'incident.resolved': '（已恢复）',
  'incident.resolvedAfter': '（{duration}后恢复）',
  'incident.none': '最近 14 天没有事件。',
  'duration.s': '{s} 秒',
  'duration.min': '{min} 分钟',
  'duration.h': '{h} 小时',
  'duration.hMin': '{h} 小时 {min} 分钟',
};

export const STATUS_PAGE_CATALOG: Record<Locale, Record<StatusPageKey, string>> = { en, 'zh-CN': zhCN };

export type Translate = (key: StatusPageKey, params?: Params) => string;

export const statusPageWords =
  (locale: Locale): Translate =>
  (key, params) =>
    fill(STATUS_PAGE_CATALOG[locale][key], params);

export const publicWord = (t: Translate, status: StoreStatusName) => t(`status.${status}`);

/** "45 s", "12 min", "3 h 5 min" in the page's language (same steps as shared/failover/words.ts). */
export function durationWords(t: Translate, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return t('duration.s', { s });
  const min = Math.floor(s / 60);
  if (min < 120) return t('duration.min', { min });
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? t('duration.h', { h }) : t('duration.hMin', { h, min: rest });
}
