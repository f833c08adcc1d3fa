/**
 * The public incident timeline: a store's status changes and failovers told in words that reveal
 * nothing internal (no node names, hosts or reasons). Consecutive troubled statuses make one
 * incident; it ends when the store is healthy again. Pure.
 */
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

const TITLE: Record<Kind, string> = {
  outage: 'Outage: the store database was unavailable',
  // `degraded` covers a standby behind or down, a disk filling, a late job: the public page only knows
  // the status, so its words must fit every one of them (never "the standby" for a primary's disk).
  degraded: 'Degraded: the store kept serving while part of it needed attention',
  failover: 'Switched over to the standby database',
  maintenance: 'Planned maintenance',
};

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
        title: 'A switch-over to the standby database failed',
        start: f.decidedAt,
        end: null,
      });
    }
  }
  return out.sort((a, b) => b.start.localeCompare(a.start)).slice(0, limit);
}
