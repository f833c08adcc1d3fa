/**
 * One alarm, every minute, serves the whole background: it wakes a stopped MV3 service worker,
 * re-opens the stream if it is closed, polls while it is not live, and lets the badge notice that
 * data went stale.
 */
import { browser } from 'wxt/browser';

export const TICK_ALARM = 'mirrorwatch-tick';
export const TICK_MINUTES = 1;

/** What the background uses of `browser.alarms`; WXT's fakeBrowser and the real one both fit. */
export interface AlarmsApi {
  get(name: string): Promise<{ name: string } | undefined>;
  create(name: string, info: { periodInMinutes: number }): unknown;
  onAlarm: { addListener(listener: (alarm: { name: string }) => void): void };
}

/** Re-creating an existing alarm would push it back: a worker woken often would never tick. */
export async function ensureTickAlarm(alarms: AlarmsApi = browser.alarms): Promise<void> {
  if (await alarms.get(TICK_ALARM)) return;
  await alarms.create(TICK_ALARM, { periodInMinutes: TICK_MINUTES });
}

export function onTick(task: () => Promise<unknown>, what: string, alarms: AlarmsApi = browser.alarms): void {
  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name !== TICK_ALARM) return;
    task().catch((err: unknown) => console.error(`mirrorwatch: ${what} failed on the minute tick:`, err));
  });
}
