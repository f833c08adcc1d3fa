/**
 * How a store's status reads to people, in one place for the public status page and the extension
 * (issue 17): the public page's words ("Operational", "Outage", …), the operator's words where an
 * operator must tell apart what the public sees as one outage, and the tone that colours both.
 * Words always carry the meaning; the tone only repeats it.
 */
import type { Locale } from './i18n/locale.ts';
import type { StoreStatusName } from './schemas/status.ts';

export const TONES = ['ok', 'warn', 'bad', 'info', 'muted'] as const;
export type Tone = (typeof TONES)[number];

export const STATUS_TONE: Record<StoreStatusName, Tone> = {
  healthy: 'ok',
  degraded: 'warn',
  primary_down: 'bad',
  awaiting_confirm: 'bad',
  failing_over: 'info',
  split_brain: 'bad',
  store_unreachable: 'bad',
  maintenance: 'info',
  unknown: 'muted',
};

/** What the public page says, in each language: nothing about how the store is built or what an operator must do. */
export const PUBLIC_WORDS: Record<Locale, Record<StoreStatusName, string>> = {
  en: {
    healthy: 'Operational',
    degraded: 'Degraded',
    primary_down: 'Outage',
    awaiting_confirm: 'Outage',
    failing_over: 'Recovering',
    split_brain: 'Outage',
    store_unreachable: 'Unreachable',
    maintenance: 'Maintenance',
    unknown: 'No data yet',
  },
  'zh-CN': {
    healthy: '运行正常',
    degraded: '性能下降',
    primary_down: '服务中断',
    awaiting_confirm: '服务中断',
    failing_over: '正在恢复',
    split_brain: '服务中断',
    store_unreachable: '无法访问',
    maintenance: '维护中',
    unknown: '暂无数据',
  },
};

/** The same words for operators, except where the public's "Outage" hides what they must do. */
export const OPERATOR_WORDS: Record<Locale, Record<StoreStatusName, string>> = {
  en: { ...PUBLIC_WORDS.en, awaiting_confirm: 'Confirm?', split_brain: 'Split brain' },
  'zh-CN': { ...PUBLIC_WORDS['zh-CN'], awaiting_confirm: '待确认', split_brain: '脑裂' },
};

/** Status words as catalog entries (`status.<name>`), so every surface's catalog takes them from here. */
export function statusEntries(words: Record<StoreStatusName, string>): Record<`status.${StoreStatusName}`, string> {
  return Object.fromEntries(Object.entries(words).map(([k, v]) => [`status.${k}`, v])) as Record<
    `status.${StoreStatusName}`,
    string
  >;
}

/** Worst first, for the favicon and the banner: the tone that should catch the eye. */
const TONE_RANK: Record<Tone, number> = { bad: 0, warn: 1, info: 2, ok: 3, muted: 4 };

/** The tone of the worst status, or `muted` when there is nothing to judge (no stores, or no data yet). */
export function worstTone(statuses: Iterable<StoreStatusName>): Tone {
  let worst: Tone = 'muted';
  let seenOk = false;
  for (const s of statuses) {
    const tone = STATUS_TONE[s];
    if (tone === 'ok') seenOk = true;
    else if (tone !== 'muted' && TONE_RANK[tone] < TONE_RANK[worst]) worst = tone;
  }
  return worst === 'muted' && seenOk ? 'ok' : worst;
}

/** A status that needs nobody: operational, or planned, or not yet known. */
export function isFine(status: StoreStatusName): boolean {
  return status === 'healthy' || status === 'maintenance';
}
