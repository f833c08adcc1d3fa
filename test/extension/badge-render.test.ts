import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TICK_ALARM } from '#extension/lib/alarms.ts';
import { actionApi, renderBadge, setupBadge } from '#extension/lib/badge.ts';
import { BADGE_COLORS } from '#extension/lib/badge-model.ts';
import { connectionItem, fleetItem, settingsItem } from '#extension/lib/storage-items.ts';
import { connection, fleet, settings, store, T0 } from './support/fixtures.ts';

const hex = (c: string) => [
  Number.parseInt(c.slice(1, 3), 16),
  Number.parseInt(c.slice(3, 5), 16),
  Number.parseInt(c.slice(5, 7), 16),
  255,
];

beforeEach(async () => {
  fakeBrowser.reset();
  await settingsItem.setValue(settings());
  await connectionItem.setValue(connection('connected'));
  await fleetItem.setValue(fleet([store('a', { name: 'Tianhe', status: 'primary_down' }), store('b')]));
});

afterEach(() => {
  vi.useRealTimers();
});

it('puts the count, the colour and the list on the toolbar button', async () => {
  await renderBadge(fakeBrowser.action, T0);
  expect(await fakeBrowser.action.getBadgeText({})).toBe('1');
  expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(hex(BADGE_COLORS.red));
  expect(await fakeBrowser.action.getTitle({})).toContain('Tianhe: primary down');
});

it('follows storage, and turns grey on the minute tick once polled data is stale', async () => {
  vi.useFakeTimers({ now: T0, toFake: ['Date'] });
  await connectionItem.setValue(connection('connecting'));
  await fleetItem.setValue(fleet([store('a'), store('b')], { source: 'poll' }));
  setupBadge(fakeBrowser.action, fakeBrowser.alarms);
  await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('OK'));

  await fleetItem.setValue(fleet([store('a', { status: 'degraded' }), store('b')], { source: 'poll' }));
  await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('1'));

  vi.setSystemTime(T0 + 3 * 60_000);
  await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: Date.now() });
  await vi.waitFor(async () => expect(await fakeBrowser.action.getBadgeText({})).toBe('?'));
  expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual(hex(BADGE_COLORS.grey));
});

it('uses browserAction where there is no action (Firefox MV2)', () => {
  const browserAction = fakeBrowser.action;
  expect(actionApi({ browserAction })).toBe(browserAction);
  expect(() => actionApi({})).toThrow(/neither action nor browserAction/);
});
