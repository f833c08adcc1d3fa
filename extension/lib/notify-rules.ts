/**
 * Pure: which notifications a change of the fleet deserves. A store moving into a red status, into
 * `awaiting_confirm`, or a failover that completed or failed; never a recovery, never an unwatched
 * store, never one whose kind the user switched off. A store flapping (red, healthy, red within a
 * minute) notifies once: the same store and kind are held back for 60 s after one was sent.
 */
import type { Locale } from '#shared/i18n/locale.ts';
import { isRed } from './status-words.ts';
import type { NotifiedLog, Settings } from './storage-items.ts';
import { type Words, wordsFor } from './ui-catalog.ts';
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
  /** The notifications' language (English when not given). */
  locale?: Locale;
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

function describe(store: StoreStatus, kind: NotifyKind, w: Words): { title: string; message: string } {
  const failover = store.lastFailover;
  const fallback = w('notify.store', { id: store.id });
  switch (kind) {
    case 'red':
      return {
        title: w('store.status', { store: store.name, status: w(`word.${store.status}`) }),
        message: store.reasons[0] ?? fallback,
      };
    case 'awaiting':
      return {
        title: w('notify.awaitingTitle', { store: store.name }),
        message: `${failover ? w('notify.promote', { node: failover.to }) : ''}${w('notify.awaitingText')}`,
      };
    case 'completed':
      return {
        title: w('notify.completedTitle', { store: store.name }),
        message: failover
          ? w('notify.completedText', {
              from: failover.from ?? w('notify.unknownNode'),
              to: failover.to,
              epoch: failover.epoch,
            })
          : fallback,
      };
    case 'failed':
      return {
        title: w('notify.failedTitle', { store: store.name }),
        message: failover?.error ?? failover?.reason ?? fallback,
      };
  }
}

export function planNotifications({ previous, next, settings, log, now, locale = 'en' }: NotifyInput): {
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
      notifications.push({ storeId: store.id, kind, ...describe(store, kind, wordsFor(locale)) });
    }
  }
  return { notifications, log: nextLog };
}
