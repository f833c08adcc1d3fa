/** Keeps the toolbar badge in step with storage, and with the clock (data goes stale on its own). */
import { browser } from 'wxt/browser';
import { type AlarmsApi, onTick } from './alarms.ts';
import { type Badge, badgeFor } from './badge-model.ts';
import { connectionItem, fleetItem, readConnection, readFleet, readSettings, settingsItem } from './storage-items.ts';
import { loadLocale } from './ui-catalog.ts';
import { settingsLocale } from './ui-language.ts';

/** What is used of `browser.action`; WXT's fakeBrowser and the real one both fit. */
export interface ActionApi {
  setBadgeText(details: { text: string }): unknown;
  setBadgeBackgroundColor(details: { color: string }): unknown;
  setTitle(details: { title: string }): unknown;
}

/** MV3 has `action`; Firefox's MV2 build has `browserAction`, with the same three calls. */
export function actionApi(b: { action?: ActionApi; browserAction?: ActionApi } = browser): ActionApi {
  const api = b.action ?? b.browserAction;
  if (!api) throw new Error('mirrorwatch: this browser has neither action nor browserAction');
  return api;
}

export async function renderBadge(action: ActionApi, now = Date.now()): Promise<Badge> {
  const [fleet, connection, settings] = await Promise.all([readFleet(), readConnection(), readSettings()]);
  const locale = settingsLocale(settings);
  await loadLocale(locale);
  const badge = badgeFor({ fleet, connection, settings, now, locale });
  await Promise.all([
    action.setBadgeText({ text: badge.text }),
    action.setBadgeBackgroundColor({ color: badge.color }),
    action.setTitle({ title: badge.title }),
  ]);
  return badge;
}

export function setupBadge(action: ActionApi = actionApi(), alarms: AlarmsApi = browser.alarms): void {
  // One render at a time, each reading the latest storage: an older render never lands last.
  let tail: Promise<unknown> = Promise.resolve();
  const render = (): Promise<unknown> => {
    tail = tail.then(() => renderBadge(action)).catch((err: unknown) => console.error('mirrorwatch: badge:', err));
    return tail;
  };
  fleetItem.watch(() => void render());
  connectionItem.watch(() => void render());
  settingsItem.watch(() => void render());
  onTick(render, 'badge', alarms);
  void render();
}
