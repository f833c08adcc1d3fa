/**
 * The store page's own words in Chinese (issue 18): the row's figure, the store's duration, who
 * asked for a failover, the node table's words, the jobs' last run and the failover form's answers.
 * Server texts (the monitor's reasons) stay as the server wrote them; everything else is Chinese.
 */

import { signal } from '@preact/signals';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeRole, nodeState } from '#extension/entrypoints/popup/node-table.tsx';
import { discardedText, lagAtDecisionText } from '#extension/lib/failover-cost.ts';
import { createFailoverForm } from '#extension/lib/failover-form.ts';
import { lastRunText } from '#extension/lib/jobs-model.ts';
import { countdown } from '#extension/lib/relative-time.ts';
import { cleartextWarning, parseServerOrigin } from '#extension/lib/server-origin.ts';
import { requestedText, rowWhy } from '#extension/lib/store-words.ts';
import { addWords, wordsFor } from '#extension/lib/ui-catalog.ts';
import { ZH_CN } from '#extension/lib/ui-catalog-zh.ts';
import { failover, store, T0 } from './support/fixtures.ts';

const zh = wordsFor('zh-CN');
const at = (ms: number) => new Date(T0 + ms).toISOString();
/** A run of two English words: what must not be left in a Chinese text made of our own words. */
const ENGLISH = /[A-Za-z]{2,}\s+[A-Za-z]{2,}/;

beforeAll(() => addWords('zh-CN', ZH_CN));

describe('the store page in Chinese', () => {
  it('says the row’s figure in Chinese', () => {
    expect(rowWhy(store('x', { lagSeconds: 0.34 }), T0, zh)).toBe('延迟 0.3 秒 · 主库 x-a');
    const degraded = store('x', { status: 'degraded', reasons: ['x-a: disk at 95 % (threshold 90 %)'] });
    expect(rowWhy(degraded, T0, zh)).toBe('磁盘 95%');
    const awaiting = store('x', {
      status: 'awaiting_confirm',
      lastFailover: failover({ state: 'awaiting_confirm', to: 'x-b' }),
      confirmBy: at(90_000),
    });
    expect(rowWhy(awaiting, T0, zh)).toBe('确认切换 → x-b · 剩余 1 分钟 30 秒');
    expect(rowWhy(awaiting, T0 + 100_000, zh)).toBe('确认切换 → x-b · 时间已到');
    const planned = store('x', {
      status: 'maintenance',
      reasons: [`maintenance window "upgrade" until ${at(3_600_000)}`],
    });
    expect(rowWhy(planned, T0, zh)).toBe('计划维护 · 剩余 1 小时');
  });

  it('counts down in Chinese units', () => {
    expect([45_000, 250_000, 3_900_000, 72 * 3600_000].map((ms) => countdown(ms, zh))).toEqual([
      '45 秒',
      '4 分钟 10 秒',
      '1 小时 5 分钟',
      '3 天',
    ]);
  });

  it('names who asked, the nodes’ states and roles, the cost and the last run in Chinese', () => {
    const texts = [
      requestedText(failover({ mode: 'auto' }), zh),
      requestedText(failover({ mode: 'manual', requestedBy: 'operator:admin' }), zh),
      requestedText(failover({ mode: 'manual', requestedBy: 'auto', state: 'completed' }), zh),
      nodeState({ id: 'x-a', role: 'primary', reachable: false, healthy: false, latencyMs: null, lastSeenAt: null }, zh)
        .word,
      nodeRole({ role: 'standby', selfFenced: false }, zh),
      nodeRole({ role: 'unknown', selfFenced: true }, zh),
      lagAtDecisionText({ lagSecondsAtDecision: 0.4, lagBytesAtDecision: null }, zh) ?? '',
      discardedText({ discardedBytes: 0 }, zh) ?? '',
      lastRunText(
        {
          id: 'j',
          name: 'sync',
          schedule: '* * * * *',
          state: 'ok',
          reason: null,
          lastRun: { at: at(-180_000), event: 'success', node: 'x-b' },
          nextSlot: null,
          doubled: null,
        },
        T0,
        zh,
      ),
    ];
    expect(texts).toEqual([
      '自动，由监控器发起',
      '由一位运维人员发起',
      '由监控器提议，运维人员已确认',
      '无法访问',
      '备库',
      '主库',
      '0.4 秒',
      '未丢弃任何数据',
      '3 分钟前在 x-b 上成功',
    ]);
  });

  it('answers a failover request in Chinese', async () => {
    const s = signal(store('x'));
    const form = createFailoverForm(
      s,
      { failover: async () => ({ ok: true, failover: failover({ state: 'promoting' }) }) },
      () => zh,
    );
    await form.submit();
    expect(form.outcome.value).toEqual({ kind: 'error', message: '必须填写原因：它会随故障切换一起记录。' });
    form.reason.value = '演练';
    await form.submit();
    expect(form.outcome.value).toEqual({ kind: 'accepted', message: '已请求故障切换：x-a → x-b，正在提升备库。' });
  });

  it('warns about the server address in Chinese', () => {
    const checks = [
      parseServerOrigin('', zh),
      parseServerOrigin('ftp://x', zh),
      parseServerOrigin('https://mw.example.com/api', zh),
    ];
    const errors = checks.map((c) => (c.ok ? '' : c.error));
    expect(errors[1]).toBe('服务器地址必须以 https:// 或 http:// 开头，而不是 ftp://');
    expect(cleartextWarning('http://mw.example.com', zh)).toMatch(/^mw\.example\.com 使用明文 http 连接/);
    for (const text of errors) expect(text).not.toMatch(ENGLISH);
  });
});
