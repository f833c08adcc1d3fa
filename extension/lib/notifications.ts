/** Sends what notify-rules decides, whenever the stored fleet changes (from the stream or a poll). */
import { browser } from 'wxt/browser';
import { planNotifications } from './notify-rules.ts';
import {
  EMPTY_FLEET,
  Fleet,
  fleetItem,
  notifiedItem,
  parseStored,
  readNotified,
  readSettings,
} from './storage-items.ts';
import { loadLocale } from './ui-catalog.ts';
import { settingsLocale } from './ui-language.ts';

/** What is used of `browser.notifications`; WXT's fakeBrowser and the real one both fit. */
export interface NotificationsApi {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string }): Promise<unknown>;
}

const ICON = '/icon/128.png';

export async function notifyFleetChange(
  previousRaw: unknown,
  nextRaw: unknown,
  notifications: NotificationsApi = browser.notifications,
  now = Date.now(),
): Promise<number> {
  const previous = parseStored(Fleet, previousRaw, EMPTY_FLEET, fleetItem.key);
  const next = parseStored(Fleet, nextRaw, EMPTY_FLEET, fleetItem.key);
  // Another server's fleet says nothing about this one's transitions.
  const before = previous.server === next.server ? previous.stores : [];
  const [settings, log] = await Promise.all([readSettings(), readNotified()]);
  const locale = settingsLocale(settings);
  await loadLocale(locale);
  const plan = planNotifications({
    previous: before,
    next: next.stores,
    settings,
    log,
    now,
    locale,
  });
  if (plan.notifications.length === 0) return 0;
  await notifiedItem.setValue(plan.log);
  for (const n of plan.notifications) {
    await notifications.create(`mirrorwatch:${n.storeId}:${n.kind}:${now}`, {
      type: 'basic',
      iconUrl: ICON,
      title: n.title,
      message: n.message,
    });
  }
  return plan.notifications.length;
}

export function setupNotifications(notifications: NotificationsApi = browser.notifications): void {
  // In order, one change at a time: the hold-back log is read and written by each.
  let tail: Promise<unknown> = Promise.resolve();
  fleetItem.watch((next, previous) => {
    tail = tail
      .then(() => notifyFleetChange(previous, next, notifications))
      .catch((err: unknown) => console.error('mirrorwatch: notifications:', err));
  });
}
