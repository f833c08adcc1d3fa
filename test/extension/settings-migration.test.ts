import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_SETTINGS,
  migrateSettingsV1ToV2,
  readFleet,
  readSettings,
  settingsItem,
} from '#extension/lib/storage-items.ts';
import { settings } from './support/fixtures.ts';

const v1 = {
  serverUrl: 'https://mw.example.com',
  token: 'tok',
  watch: ['gz-tianhe', 'region:South China', ' sh-1 ', 'REGION: East China', ''],
  notify: { red: true, awaiting: false, failover: true },
};

beforeEach(() => {
  fakeBrowser.reset();
});

it('v1 (one watch list) → v2 (stores and regions), in storage, with the version recorded', async () => {
  await fakeBrowser.storage.local.set({ settings: v1, settings$: { v: 1 } });
  await settingsItem.migrate();
  expect(await readSettings()).toEqual({
    serverUrl: 'https://mw.example.com',
    token: 'tok',
    watch: { stores: ['gz-tianhe', 'sh-1'], regions: ['South China', 'East China'] },
    notify: { red: true, awaiting: false, failover: true },
  });
  expect(await fakeBrowser.storage.local.get('settings$')).toEqual({ settings$: { v: 2 } });
});

it('a value stored without any version is taken as v1', async () => {
  await fakeBrowser.storage.local.set({ settings: v1 });
  await settingsItem.migrate();
  expect((await readSettings()).watch.regions).toEqual(['South China', 'East China']);
});

it('v2 is left alone', async () => {
  const current = settings({ watch: { stores: ['region:not-a-prefix-here'], regions: [] } });
  await fakeBrowser.storage.local.set({ settings: current, settings$: { v: 2 } });
  await settingsItem.migrate();
  expect(await readSettings()).toEqual(current);
});

it('an unreadable v1 becomes the defaults, with a warning', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  expect(migrateSettingsV1ToV2({ serverUrl: 3 })).toEqual(DEFAULT_SETTINGS);
  expect(warn).toHaveBeenCalledWith(expect.stringContaining('serverUrl: expected a string'));
  warn.mockRestore();
});

it('a v2 value that lost its version stamp is not mistaken for v1', async () => {
  const current = settings({ watch: { stores: ['a'], regions: ['South China'] } });
  await fakeBrowser.storage.local.set({ settings: current });
  await settingsItem.migrate();
  expect(await readSettings()).toEqual(current);
});

it('a fresh install reads the defaults and saves as v2', async () => {
  // The item decides at definition whether the first write stamps the version: define it anew.
  vi.resetModules();
  const fresh = await import('#extension/lib/storage-items.ts');
  expect(await fresh.readSettings()).toEqual(DEFAULT_SETTINGS);
  await fresh.settingsItem.setValue(settings());
  expect(await fakeBrowser.storage.local.get('settings$')).toEqual({ settings$: { v: 2 } });
});

it('a stored value that does not parse is never trusted', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  await fakeBrowser.storage.local.set({ settings: { ...settings(), notify: 'yes' }, settings$: { v: 2 } });
  expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  await fakeBrowser.storage.local.set({ fleet: { server: 'x', stores: [{ id: 1 }] } });
  expect((await readFleet()).stores).toEqual([]);
  expect(warn).toHaveBeenCalledTimes(2);
  warn.mockRestore();
});
