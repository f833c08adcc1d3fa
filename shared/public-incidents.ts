/**
 * The public incident timeline: a store's status changes and failovers told in words that reveal
 * nothing internal (no node names, hosts or reasons). Consecutive troubled statuses make one
 * incident; it ends when the store is healthy again. Pure.
 */
import type { Locale } from './i18n/locale.ts';
import { iso } from './iso-time.ts';
import type { PublicIncident } from './schemas/api.ts';
import type { Failover, StoreStatusName } from './schemas/status.ts';

type Kind = PublicIncident['kind'];

const KIND: Partial<Record<StoreStatusName, Kind>> = {
  primary_down: 'outage',
  split_brain: 'outage',
  store_unreachable: 'outage',
  awaiting_confirm: 'outage',
  failing_over: 'outage',
  degraded: 'degraded',
  maintenance: 'maintenance',
};

type TitleKey = Kind | 'failoverFailed';

/**
 * The titles in both languages. The stored and public `title` stays English (the API's words); a
 * page shows the reader's language by finding which English title an incident carries.
 */
export const INCIDENT_TITLES: Record<Locale, Record<TitleKey, string>> = {
  en: {
    outage: 'Outage: the store database was unavailable',
    // `degraded` covers a standby behind or down, a disk filling, a late job: the public page only knows
    // the status, so its words must fit every one of them (never "the standby" for a primary's disk).
    degraded: 'Degraded: the store kept serving while part of it needed attention',
    failover: 'Switched over to the standby database',
    failoverFailed: 'A switch-over to the standby database failed',
    maintenance: 'Planned maintenance',
  },
  'zh-CN': {
    outage: '服务中断：门店数据库无法使用',
    degraded: '性能下降：门店仍在服务，但部分组件需要处理',
    failover: '已切换到备用数据库',
    failoverFailed: '切换到备用数据库失败',
    maintenance: '计划维护',
  },
};
const TITLE = INCIDENT_TITLES.en;

/** An incident's title in a language; a title this module did not write is shown as it is. */
export function incidentTitle(incident: Pick<PublicIncident, 'title'>, locale: Locale): string {
  const key = (Object.keys(TITLE) as TitleKey[]).find((k) => TITLE[k] === incident.title);
  return key === undefined ? incident.title : INCIDENT_TITLES[locale][key];
}

export function publicIncidents(
  changes: ReadonlyArray<{ at: number; status: StoreStatusName }>,
  failovers: readonly Failover[],
  limit = 10,
): PublicIncident[] {
  const out: PublicIncident[] = [];
  let open: { kind: Kind; start: number } | null = null;
  for (const change of changes) {
    const kind = KIND[change.status] ?? null;
    if (open && open.kind !== kind) {
      out.push({ kind: open.kind, title: TITLE[open.kind], start: iso(open.start), end: iso(change.at) });
      open = null;
    }
    if (kind && !open) open = { kind, start: change.at };
  }
  if (open) out.push({ kind: open.kind, title: TITLE[open.kind], start: iso(open.start), end: null });
  for (const f of failovers) {
    if (f.state === 'completed') {
      out.push({ kind: 'failover', title: TITLE.failover, start: f.decidedAt, end: f.completedAt });
    } else if (f.state === 'failed') {
      out.push({
        kind: 'failover',
        title: TITLE.failoverFailed,
        start: f.decidedAt,
        end: null,
      });
    }
  }
  return out.sort((a, b) => b.start.localeCompare(a.start)).slice(0, limit);
}
