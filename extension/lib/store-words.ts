/**
 * What the popup says about a store in a few words (issue 17): the one reason a row shows ("lag
 * 45 s", "disk 95 %"), the fleet's "6 of 8 fine", who asked for a failover, and server texts with
 * their ISO times turned into "for 2 min" and "4 min 10 s left", so no raw timestamp reaches the
 * popup. Pure: `now` is passed in.
 */
import { isFine } from '#shared/status-words.ts';
import { PAGE_ENGLISH as ENGLISH } from './page-catalog.ts';
import { countdown, relativeTime } from './relative-time.ts';
import type { Words } from './ui-catalog.ts';
import type { Failover, StoreStatus } from './wire.ts';

const ISO = /(\b(?:since|until|before|at)\s+)?(\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d))/g;

/** Every ISO time in a server text, in words relative to `now`. */
export function humanizeTimes(text: string, now: number): string {
  return text.replace(ISO, (_, lead: string | undefined, iso: string) => {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) return `${lead ?? ''}${iso}`;
    const word = lead?.trim().toLowerCase();
    if (word === 'since') return `for ${countdown(now - at)}`;
    if (word === 'until' || word === 'before') return at > now ? `${countdown(at - now)} left` : 'time is up';
    return `${lead ?? ''}${at > now ? `in ${countdown(at - now)}` : relativeTime(at, now)}`;
  });
}

/** "operator:alice" is alice; a token without a name ("operator:operator", "operator:admin") is an operator. */
export function principal(who: string, w: Words = ENGLISH): string {
  const m = /^(?:operator|viewer):(.+)$/.exec(who);
  if (!m?.[1]) return who === 'auto' ? w('who.monitor') : who;
  if (m[1] === 'viewer') return w('who.viewer');
  return m[1] === 'operator' || m[1] === 'admin' ? w('who.operator') : m[1];
}

/**
 * A server text as the popup shows it: times in words, callers by name. The server writes its
 * findings in English, so they stay English around the figures (the popup's own words do not).
 */
export function readable(text: string, now: number): string {
  return humanizeTimes(text, now).replace(/\b(?:operator|viewer):[\w.@-]+/g, (who) => principal(who));
}

const lagWords = (lag: number, w: Words) => w('row.lag', { s: lag < 10 ? Math.round(lag * 10) / 10 : Math.round(lag) });

/**
 * The few words a row shows after the store's name: the figure that explains its status. `w` gives
 * the row in the popup's language, with the figures taken from the server's reasons.
 */
export function rowWhy(store: StoreStatus, now: number, w: Words = ENGLISH): string {
  if (store.status === 'healthy') {
    // The figure first: when the row is narrow, the name of the primary is what gets cut.
    const primary = store.primary ? w('row.primary', { node: store.primary }) : w('row.noPrimary');
    return store.lagSeconds === null ? primary : `${lagWords(store.lagSeconds, w)} · ${primary}`;
  }
  const deadline = confirmDeadline(store);
  const left = (at: number) => (at > now ? w('row.left', { duration: countdown(at - now, w) }) : w('row.timeUp'));
  if (deadline !== null) {
    const to = store.lastFailover?.to;
    return `${to ? w('row.confirmTo', { node: to }) : w('row.confirm')} · ${left(deadline)}`;
  }
  for (const reason of store.reasons) {
    const window = /^maintenance window .*until (\d{4}-\d\d-\d\dT[\d:.]+Z)/.exec(reason);
    const until = window?.[1] ? Date.parse(window[1]) : Number.NaN;
    if (!Number.isNaN(until)) return w('row.planned', { left: left(until) });
    const resource = /\b(disk|memory|CPU) at (\d+) %/.exec(reason);
    if (resource) return w(`row.${resource[1] as 'disk' | 'memory' | 'CPU'}`, { percent: resource[2] ?? '' });
    const lag = /\blag (\d+(?:\.\d+)?) s exceeds/.exec(reason);
    if (lag) return w('row.lag', { s: lag[1] ?? '' });
  }
  const first = store.reasons[0];
  if (first === undefined) return store.status === 'unknown' ? w('row.noData') : '';
  // The first reason without its details in brackets: the detail page has them.
  return readable(first.replace(/\s*\([^)]*\)/g, '').replace(' from the edge', ''), now);
}

/** Whether a server reason is the one about that failover ("failover <id> awaits …"). */
export const aboutFailover = (reason: string, failoverId: string) => reason.startsWith(`failover ${failoverId} `);

/** "6 of 8 fine": fine is operational or in planned maintenance. */
export function fleetSummary(
  stores: readonly StoreStatus[],
  w: Words = ENGLISH,
): { fine: number; total: number; text: string } {
  const fine = stores.filter((s) => isFine(s.status)).length;
  const total = stores.length;
  return { fine, total, text: fine === total ? w('summary.all', { total }) : w('summary.some', { fine, total }) };
}

/** Who asked for a failover, without "manual by auto": the monitor is "the monitor". */
export function requestedText(f: Failover, w: Words = ENGLISH): string {
  if (f.mode === 'auto') return w('requested.auto');
  if (f.mode === 'hook') return w('requested.hook', { who: f.requestedBy });
  if (f.requestedBy !== 'auto') return w('requested.by', { who: principal(f.requestedBy, w) });
  return f.state === 'awaiting_confirm' ? w('requested.proposed') : w('requested.confirmed');
}

/** A refusal's words once: the server's "failover refused: a; b" becomes its reasons. */
export function refusalReasons(message: string, details: readonly string[]): string[] {
  if (details.length > 0) return [...details];
  const rest = message.replace(/^failover refused:?\s*/i, '');
  return rest === '' ? [] : rest.split('; ');
}

/**
 * When an awaited confirmation expires: the status's `confirmBy`, or (from a server that predates
 * it) the time in its own reason; null when none is awaited.
 */
export function confirmDeadline(store: StoreStatus): number | null {
  if (store.status !== 'awaiting_confirm') return null;
  const given = store.confirmBy ? Date.parse(store.confirmBy) : Number.NaN;
  if (!Number.isNaN(given)) return given;
  for (const reason of store.reasons) {
    const m = /confirmation \(until (\S+)\)/.exec(reason);
    const at = m?.[1] ? Date.parse(m[1]) : Number.NaN;
    if (!Number.isNaN(at)) return at;
  }
  return null;
}
