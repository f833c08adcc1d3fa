/**
 * Pure: which notifications a change of the fleet deserves. A store moving into a red status, into
 * `awaiting_confirm`, or a failover that completed or failed; never a recovery, never an unwatched
 * store, never one whose kind the user switched off. A store flapping (red, healthy, red within a
 * minute) notifies once: the same store and kind are held back for 60 s after one was sent.
 */
import { isRed, STATUS_WORDS } from './status-words.ts';
import type { NotifiedLog, Settings } from './storage-items.ts';
import { isWatched } from './watch.ts';
import type { StoreStatus } from './wire.ts';

export const NOTIFY_HOLD_MS = 60_000;

export type NotifyKind = 'red' | 'awaiting' | 'completed' | 'failed';

export interface PlannedNotification {
  storeId: string;
  kind: NotifyKind;
  title: string;
  message: string;
}

export interface NotifyInput {
  previous: StoreStatus[];
  next: StoreStatus[];
  settings: Pick<Settings, 'watch' | 'notify'>;
  log: NotifiedLog;
  now: number;
}

function kindsFor(before: StoreStatus, after: StoreStatus, notify: Settings['notify']): NotifyKind[] {
  const kinds: NotifyKind[] = [];
  const changed = before.status !== after.status;
  if (notify.red && changed && isRed(after.status)) kinds.push('red');
  if (notify.awaiting && changed && after.status === 'awaiting_confirm') kinds.push('awaiting');
  const failover = after.lastFailover;
  const was = before.lastFailover;
  if (notify.failover && failover && (failover.state === 'completed' || failover.state === 'failed')) {
    if (was?.id !== failover.id || was.state !== failover.state) kinds.push(failover.state);
  }
  return kinds;
}

function describe(store: StoreStatus, kind: NotifyKind): { title: string; message: string } {
  const failover = store.lastFailover;
  switch (kind) {
    case 'red':
      return {
        title: `${store.name}: ${STATUS_WORDS[store.status]}`,
        message: store.reasons[0] ?? `Store ${store.id}`,
      };
    case 'awaiting':
      return {
        title: `${store.name}: failover awaiting confirmation`,
        message: `${failover ? `Promote ${failover.to}? ` : ''}Confirm or leave it in the mirrorwatch popup.`,
      };
    case 'completed':
      return {
        title: `${store.name}: failover completed`,
        message: failover
          ? `${failover.from ?? 'unknown'} → ${failover.to}, epoch ${failover.epoch}`
          : `Store ${store.id}`,
      };
    case 'failed':
      return {
        title: `${store.name}: failover failed`,
        message: failover?.error ?? failover?.reason ?? `Store ${store.id}`,
      };
  }
}

export function planNotifications({ previous, next, settings, log, now }: NotifyInput): {
  notifications: PlannedNotification[];
  log: NotifiedLog;
} {
  // Only entries still inside the hold window matter; the rest is dropped so the log stays small.
  const nextLog: NotifiedLog = Object.fromEntries(Object.entries(log).filter(([, at]) => now - at < NOTIFY_HOLD_MS));
  const before = new Map(previous.map((s) => [s.id, s]));
  const notifications: PlannedNotification[] = [];
  for (const store of next) {
    const was = before.get(store.id);
    // A store seen for the first time has no transition to tell about.
    if (!was || !isWatched(store, settings.watch)) continue;
    for (const kind of kindsFor(was, store, settings.notify)) {
      const key = `${store.id}:${kind}`;
      if (nextLog[key] !== undefined) continue;
      nextLog[key] = now;
      notifications.push({ storeId: store.id, kind, ...describe(store, kind) });
    }
  }
  return { notifications, log: nextLog };
}
