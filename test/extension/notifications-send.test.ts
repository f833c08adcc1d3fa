import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { notifyFleetChange, setupNotifications } from '#extension/lib/notifications.ts';
import { fleetItem, notifiedItem, readNotified, settingsItem } from '#extension/lib/storage-items.ts';
import { fleet, settings, store, T0 } from './support/fixtures.ts';

beforeEach(async () => {
  fakeBrowser.reset();
  await settingsItem.setValue(settings());
});

it('sends a notification for a store going down and records it', async () => {
  const sent = await notifyFleetChange(
    fleet([store('a')]),
    fleet([store('a', { name: 'Tianhe', status: 'primary_down', reasons: ['primary silent'] })]),
    fakeBrowser.notifications,
    T0,
  );
  expect(sent).toBe(1);
  const all = await fakeBrowser.notifications.getAll();
  expect(Object.values(all)).toEqual([
    { type: 'basic', iconUrl: '/icon/128.png', title: 'Tianhe: primary down', message: 'primary silent' },
  ]);
  expect(await readNotified()).toEqual({ 'a:red': T0 });
});

it('the hold-back survives in storage (an MV3 worker restart in between changes nothing)', async () => {
  await notifiedItem.setValue({ 'a:red': T0 - 30_000 });
  const sent = await notifyFleetChange(
    fleet([store('a')]),
    fleet([store('a', { status: 'primary_down' })]),
    fakeBrowser.notifications,
    T0,
  );
  expect(sent).toBe(0);
  expect(await fakeBrowser.notifications.getAll()).toEqual({});
});

it('a fleet of another server says nothing about transitions', async () => {
  const sent = await notifyFleetChange(
    fleet([store('a')], { server: 'https://old.example.com' }),
    fleet([store('a', { status: 'primary_down' })]),
    fakeBrowser.notifications,
    T0,
  );
  expect(sent).toBe(0);
});

it('follows the stored fleet once set up', async () => {
  const create = vi.spyOn(fakeBrowser.notifications, 'create');
  await fleetItem.setValue(fleet([store('a')]));
  setupNotifications(fakeBrowser.notifications);
  await fleetItem.setValue(fleet([store('a', { status: 'split_brain' })]));
  await vi.waitFor(() => expect(create).toHaveBeenCalledTimes(1));
  expect(create).toHaveBeenCalledWith(
    expect.stringMatching(/^mirrorwatch:a:red:/),
    expect.objectContaining({ title: 'Store a: split brain' }),
  );
});
