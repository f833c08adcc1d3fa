import { describe, expect, it } from 'vitest';
import { ALERT_CATALOG } from '#shared/alerts/catalog.ts';
import { failoverNotice, storeConditions } from '#shared/alerts/conditions.ts';
import type { AlertSend, Condition } from '#shared/alerts/engine.ts';
import { alertMessage, noticeMessage } from '#shared/alerts/message.ts';
import { catalogProblems } from '#shared/i18n/catalog.ts';
import type { JobHealth } from '#shared/schedules/heartbeat.ts';
import { AlertChannel } from '#shared/schemas/alerting.ts';
import type { Failover } from '#shared/schemas/status.ts';

const store = { id: 'tianhe', name: 'Tianhe', region: null };
const late: JobHealth = { state: 'late', reason: null, expectedAt: Date.UTC(2026, 10, 21, 8, 0), recheckAt: null };
const T0 = Date.UTC(2026, 10, 21, 8, 0);

function outage(): AlertSend {
  const [c] = storeConditions({
    storeName: 'Tianhe',
    status: 'primary_down',
    reasons: ['no primary'],
    resources: [],
    jobs: [],
  }).conditions;
  if (!c) throw new Error('primary_down must open an outage condition');
  return {
    kind: 'open',
    condition: c.key,
    severity: c.severity,
    title: c.title,
    text: c.text,
    phrase: c.phrase,
    openedAt: T0,
  };
}

describe('alert words in two languages', () => {
  it('has every key, with the same placeholders, in English and Chinese', () => {
    expect(catalogProblems(ALERT_CATALOG)).toEqual([]);
  });

  it('keeps the English titles as they were, for open, reminder and resolved', () => {
    const send = outage();
    expect(send.title).toBe('CRITICAL Tianhe: primary down');
    expect(alertMessage(store, send, T0).title).toBe('CRITICAL Tianhe: primary down');
    expect(alertMessage(store, { ...send, kind: 'reminder' }, T0 + 3_600_000).title).toBe(
      'CRITICAL Tianhe: primary down (still open after 60 min)',
    );
    const resolved = alertMessage(store, { ...send, kind: 'resolved' }, T0 + 300_000);
    expect(resolved.title).toBe('RESOLVED Tianhe: primary down');
    expect(resolved.text).toBe('Resolved after 5 min (opened 2026-11-21T08:00:00.000Z).\nLast known: no primary');
  });

  it('writes the same alerts in Chinese for a zh-CN channel', () => {
    const send = outage();
    expect(alertMessage(store, send, T0, 'zh-CN').title).toBe('【严重】 Tianhe：主库宕机');
    expect(alertMessage(store, { ...send, kind: 'reminder' }, T0 + 3_600_000, 'zh-CN').title).toBe(
      '【严重】 Tianhe：主库宕机（已持续 60 分钟）',
    );
    const resolved = alertMessage(store, { ...send, kind: 'resolved' }, T0 + 300_000, 'zh-CN');
    expect(resolved.title).toBe('【已恢复】 Tianhe：主库宕机');
    expect(resolved.text).toBe('5 分钟后恢复（开始于 2026-11-21T08:00:00.000Z）。\n最后状态：no primary');
    const jobs = storeConditions({
      storeName: 'Tianhe',
      status: 'healthy',
      reasons: [],
      resources: [{ node: 'gz-a', kind: 'disk', value: 95, threshold: 90, since: T0 }],
      jobs: [
        {
          id: 'snap',
          name: 'nightly snapshot',
          health: late,
          doubled: null,
        },
      ],
    }).conditions.map((c) => noticeMessage(store, c, T0, 'zh-CN').title);
    expect(jobs).toEqual([
      '【警告】 Tianhe：gz-a 的磁盘使用率过高',
      '【警告】 Tianhe：任务 nightly snapshot 未按时运行',
    ]);
  });

  it('writes the detail lines mirrorwatch composes in the channel’s language, the same facts in each', () => {
    const { conditions } = storeConditions({
      storeName: 'Tianhe',
      status: 'healthy',
      reasons: [],
      resources: [{ node: 'gz-a', kind: 'disk', value: 95.4, threshold: 90, since: T0 }],
      jobs: [{ id: 'snap', name: 'nightly snapshot', health: { ...late, state: 'overrun' }, doubled: null }],
      selfFenced: [{ node: 'gz-a', leaseSeconds: 30 }],
    });
    const en = conditions.map((c) => noticeMessage(store, c, T0).text);
    const zh = conditions.map((c) => noticeMessage(store, c, T0, 'zh-CN').text);
    expect(en).toEqual([
      'gz-a: disk at 95 % (threshold 90 %) since 2026-11-21T08:00:00.000Z',
      'job nightly snapshot is overrun',
      'gz-a fenced itself: no lease and no standby for 30 s; it refuses writes until the monitor reaches it again (a lease lifts the fence)',
    ]);
    // The English text is what the event log keeps.
    expect(conditions.map((c) => c.text)).toEqual(en);
    expect(zh).toEqual([
      'gz-a：磁盘使用率 95%（阈值 90%），自 2026-11-21T08:00:00.000Z 起',
      '任务 nightly snapshot 运行时间过长',
      'gz-a 已自我隔离：30 秒内既没有租约也没有备库；在监控器重新连上它之前拒绝写入（收到租约即解除隔离）',
    ]);
    // A reminder and a resolution carry the same lines in the same language.
    const send: AlertSend = { kind: 'reminder', condition: 'x', openedAt: T0, ...(conditions[2] as Condition) };
    expect(alertMessage(store, send, T0 + 600_000, 'zh-CN').text).toBe(zh[2]);
    expect(alertMessage(store, { ...send, kind: 'resolved' }, T0 + 600_000, 'zh-CN').text).toBe(
      `10 分钟后恢复（开始于 2026-11-21T08:00:00.000Z）。\n最后状态：${zh[2]}`,
    );
  });

  it('says how a failover ended in the channel’s language', () => {
    const f = {
      id: 'f1',
      state: 'failed',
      to: 'gz-b',
      epoch: 4,
      mode: 'auto',
      requestedBy: 'monitor',
      reason: 'primary down',
    };
    const notice = failoverNotice('Tianhe', f as unknown as Failover);
    if (!notice) throw new Error('a failed failover must send a notice');
    expect(noticeMessage(store, notice, T0).title).toBe(
      'CRITICAL Tianhe: failover to gz-b FAILED: manual intervention needed',
    );
    expect(noticeMessage(store, notice, T0, 'zh-CN').title).toBe('【严重】 Tianhe：切换到 gz-b 失败：需要人工介入');
    // Its detail: mirrorwatch's words translated, the requester's reason quoted as written.
    const detailed = failoverNotice('Tianhe', {
      ...f,
      error: 'promote timed out',
      lagSecondsAtDecision: 2,
      lagBytesAtDecision: 2048,
    } as unknown as Failover);
    if (!detailed) throw new Error('a failed failover must send a notice');
    expect(noticeMessage(store, detailed, T0).text).toBe(
      'failover f1 (auto, requested by monitor): primary down\npromote timed out\nlag at decision: 2 s\nlag at decision in bytes: 2 KiB',
    );
    expect(noticeMessage(store, detailed, T0, 'zh-CN').text).toBe(
      '故障切换 f1（自动，发起方 monitor）：primary down\npromote timed out\n决定时的延迟：2 秒\n决定时的延迟（字节）：2 KiB',
    );
  });

  it('sends an alert stored before phrases existed with its English title', () => {
    const { phrase: _, ...old } = outage();
    expect(alertMessage(store, { ...old, kind: 'resolved' }, T0 + 60_000, 'zh-CN').title).toBe(
      'RESOLVED Tianhe: primary down',
    );
  });

  it('takes a channel locale of en (the default) or zh-CN, and refuses any other', () => {
    const base = { id: 'dd', type: 'dingtalk', urlSecret: 'DINGTALK_URL' };
    expect(AlertChannel.parse(base).locale).toBe('en');
    expect(AlertChannel.parse({ ...base, locale: 'zh-CN' }).locale).toBe('zh-CN');
    const bad = AlertChannel.safeParse({ ...base, locale: 'fr' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['locale']);
  });
});
