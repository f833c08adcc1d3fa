/**
 * Alert words in English and Chinese (issue 18): a channel with `locale: zh-CN` (DingTalk, WeCom and
 * Feishu groups, mostly) gets its titles in Chinese. A condition names its words as a phrase (a key
 * and its parameters), so each channel can have them in its own language. So do the detail lines
 * mirrorwatch writes itself (`detail.*`: resources, a fenced node, a failover's outcome); a store's
 * reasons and a job's reason are the monitor's findings and stay as they were written.
 */
import { fill, type Params } from '../i18n/catalog.ts';
import type { Locale } from '../i18n/locale.ts';
import type { Severity } from '../schemas/alerting.ts';

const en = {
  'severity.critical': 'CRITICAL',
  'severity.warning': 'WARNING',
  'severity.info': 'INFO',
  'title.open': '{severity} {store}: {what}',
  'title.reminder': '{title} (still open after {minutes} min)',
  'title.resolved': 'RESOLVED {store}: {what}',
  'text.resolved': 'Resolved after {minutes} min (opened {openedAt}).\nLast known: {text}',
  'what.primary_down': 'primary down',
  'what.store_unreachable': 'store unreachable from the edge',
  'what.split_brain': 'split brain: two nodes claim primary',
  'what.awaiting_confirm': 'failover awaits an operator’s confirmation',
  'what.failing_over': 'failing over',
  'what.degraded': 'degraded',
  'what.resource.cpu': 'CPU high on {node}',
  'what.resource.memory': 'memory high on {node}',
  'what.resource.disk': 'disk high on {node}',
  'what.job.doubled': 'job {job} ran on two nodes',
  'what.selfFenced': '{node} fenced itself',
  'what.job.late': 'job {job} late',
  'what.job.failed': 'job {job} failed',
  'what.job.overrun': 'job {job} running too long',
  'what.failover.completed': 'failover completed: {node} is primary at epoch {epoch}',
  'what.failover.failed': 'failover to {node} FAILED: manual intervention needed',
  'what.failover.aborted': 'failover to {node} aborted',
  'detail.resource.cpu': '{node}: CPU at {value} % (threshold {threshold} %) since {since}',
  'detail.resource.memory': '{node}: memory at {value} % (threshold {threshold} %) since {since}',
  'detail.resource.disk': '{node}: disk at {value} % (threshold {threshold} %) since {since}',
  'detail.selfFenced':
    '{node} fenced itself: no lease and no standby for {seconds} s; it refuses writes until the monitor reaches it again (a lease lifts the fence)',
  'detail.job.late': 'job {job} is late',
  'detail.job.failed': 'job {job} is failed',
  'detail.job.overrun': 'job {job} is overrun',
  'detail.failover.auto': 'failover {id} (auto, requested by {by}): {reason}',
  'detail.failover.manual': 'failover {id} (manual, requested by {by}): {reason}',
  'detail.failover.hook': 'failover {id} (hook, requested by {by}): {reason}',
  'detail.failoverError': '{error}',
  'detail.lagSeconds': 'lag at decision: {seconds} s',
  'detail.lagBytes': 'lag at decision in bytes: {bytes}',
} as const;

export type AlertKey = keyof typeof en;

const zhCN: Record<AlertKey, string> = {
  'severity.critical': '【严重】',
  'severity.warning': '【警告】',
  'severity.info': '【通知】',
  'title.open': '{severity} {store}：{what}',
  'title.reminder': '{title}（已持续 {minutes} 分钟）',
  'title.resolved': '【已恢复】 {store}：{what}',
  'text.resolved': '{minutes} 分钟后恢复（开始于 {openedAt}）。\n最后状态：{text}',
  'what.primary_down': '主库宕机',
  'what.store_unreachable': '边缘节点无法访问门店',
  'what.split_brain': '脑裂：两个节点都声称自己是主库',
  'what.awaiting_confirm': '故障切换等待运维人员确认',
  'what.failing_over': '正在故障切换',
  'what.degraded': '性能下降',
  'what.resource.cpu': '{node} 的 CPU 使用率过高',
  'what.resource.memory': '{node} 的内存使用率过高',
  'what.resource.disk': '{node} 的磁盘使用率过高',
  'what.job.doubled': '任务 {job} 在两个节点上都运行了',
  'what.selfFenced': '{node} 已自我隔离（停止写入）',
  'what.job.late': '任务 {job} 未按时运行',
  'what.job.failed': '任务 {job} 失败',
  'what.job.overrun': '任务 {job} 运行时间过长',
  'what.failover.completed': '故障切换完成：{node} 成为主库，纪元 {epoch}',
  'what.failover.failed': '切换到 {node} 失败：需要人工介入',
  'what.failover.aborted': '切换到 {node} 已中止',
  'detail.resource.cpu': '{node}：CPU 使用率 {value}%（阈值 {threshold}%），自 {since} 起',
  'detail.resource.memory': '{node}：内存使用率 {value}%（阈值 {threshold}%），自 {since} 起',
  'detail.resource.disk': '{node}：磁盘使用率 {value}%（阈值 {threshold}%），自 {since} 起',
  'detail.selfFenced':
    '{node} 已自我隔离：{seconds} 秒内既没有租约也没有备库；在监控器重新连上它之前拒绝写入（收到租约即解除隔离）',
  'detail.job.late': '任务 {job} 未按时运行',
  'detail.job.failed': '任务 {job} 运行失败',
  'detail.job.overrun': '任务 {job} 运行时间过长',
  'detail.failover.auto': '故障切换 {id}（自动，发起方 {by}）：{reason}',
  'detail.failover.manual': '故障切换 {id}（手动，发起方 {by}）：{reason}',
  'detail.failover.hook': '故障切换 {id}（签名钩子，发起方 {by}）：{reason}',
  'detail.failoverError': '{error}',
  'detail.lagSeconds': '决定时的延迟：{seconds} 秒',
  'detail.lagBytes': '决定时的延迟（字节）：{bytes}',
};

export const ALERT_CATALOG: Record<Locale, Record<AlertKey, string>> = { en, 'zh-CN': zhCN };

/** What a condition is, as words to be had in any language. */
export interface Phrase {
  key: AlertKey;
  params: Params;
}

export const phrase = (key: AlertKey, params: Params = {}): Phrase => ({ key, params });

export const say = (locale: Locale, key: AlertKey, params?: Params): string => fill(ALERT_CATALOG[locale][key], params);

/** "CRITICAL Tianhe: primary down" / "【严重】 Tianhe：主库宕机". */
export function openTitle(locale: Locale, severity: Severity, store: string, what: Phrase): string {
  const words = say(locale, what.key, what.params);
  return say(locale, 'title.open', { severity: say(locale, `severity.${severity}`), store, what: words });
}
