import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ensureTickAlarm, TICK_ALARM } from '#extension/lib/alarms.ts';
import { applyServerMessage } from '#extension/lib/fleet-state.ts';
import { pollIfNotLive, setupPolling } from '#extension/lib/polling.ts';
import { refreshFleet } from '#extension/lib/refresh.ts';
import { updateFleet, writesSettled } from '#extension/lib/state-writer.ts';
import { fleetItem, readConnection, readFleet, settingsItem } from '#extension/lib/storage-items.ts';
import { type FakeServer, fakeServer } from './support/fake-server.ts';
import { fleet, SERVER, settings, store, T0 } from './support/fixtures.ts';

let server: FakeServer;
const refresh = () => refreshFleet({ fetch: server.fetch, now: () => T0 });
const ifNoneMatch = (i: number) => new Headers(server.requests[i]?.init?.headers).get('If-None-Match');

beforeEach(async () => {
  fakeBrowser.reset();
  await settingsItem.setValue(settings());
  server = fakeServer([store('a')]);
});

it('keeps the ETag of a 200 and sends it back; a 304 keeps the stores and marks them fresh', async () => {
  expect(await refresh()).toEqual({ kind: 'fresh' });
  expect(ifNoneMatch(0)).toBeNull();
  expect(await readFleet()).toMatchObject({ etag: '"v1"', source: 'poll', receivedAt: T0 });

  expect(await refreshFleet({ fetch: server.fetch, now: () => T0 + 60_000 })).toEqual({ kind: 'unchanged' });
  expect(ifNoneMatch(1)).toBe('"v1"');
  const after = await readFleet();
  expect(after.stores.map((s) => s.id)).toEqual(['a']);
  expect(after.receivedAt).toBe(T0 + 60_000);
});

it('a changed fleet comes back with a new ETag and replaces the stores', async () => {
  await refresh();
  server.stores = [store('a', { status: 'primary_down' }), store('b')];
  server.etag = '"v2"';
  expect(await refresh()).toEqual({ kind: 'fresh' });
  const f = await readFleet();
  expect(f.etag).toBe('"v2"');
  expect(f.stores.map((s) => s.status)).toEqual(['primary_down', 'healthy']);
});

it('a stream update drops the ETag: a 304 must not vouch for data it never saw', async () => {
  await refresh();
  await updateFleet((f) =>
    applyServerMessage(f, { type: 'store', at: 'x', store: store('a', { status: 'degraded' }) }, SERVER, T0 + 1),
  );
  await refresh();
  expect(ifNoneMatch(1)).toBeNull();
});

it('an ETag kept for another server is not sent', async () => {
  await fleetItem.setValue(fleet([store('a')], { server: 'https://old.example.com', etag: '"v1"', source: 'poll' }));
  await refresh();
  expect(ifNoneMatch(0)).toBeNull();
  expect((await readFleet()).server).toBe(SERVER);
});

it('a poll answer older than a stream message does not overwrite it', async () => {
  let release: () => void = () => undefined;
  const slow = vi.fn(async (url: string, init?: RequestInit) => {
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return server.fetch(url, init);
  });
  const polling = refreshFleet({ fetch: slow, now: () => T0 });
  await vi.waitFor(() => expect(slow).toHaveBeenCalled());
  await updateFleet((f) =>
    applyServerMessage(f, { type: 'snapshot', at: 'x', stores: [store('live')] }, SERVER, T0 + 5),
  );
  release();
  await polling;
  expect((await readFleet()).stores.map((s) => s.id)).toEqual(['live']);
});

it.each([
  ['unauthorized', 'unauthorized', 'unauthorized'],
  ['down', 'unreachable', 'offline'],
  ['error500', 'unreachable', 'offline'],
] as const)('a poll that meets a %s server leaves the stores and sets the state', async (mode, kind, state) => {
  await refresh();
  server.mode = mode;
  const outcome = await pollIfNotLive({ isLive: () => false, refresh });
  expect(outcome?.kind).toBe(kind);
  expect((await readConnection()).state).toBe(state);
  expect((await readFleet()).stores).toHaveLength(1);
});

it('a body that is not { stores } is an error, not data', async () => {
  server.fetch.mockResolvedValueOnce(new Response(JSON.stringify({ stores: [{ id: 'a' }] }), { status: 200 }));
  const outcome = await refresh();
  expect(outcome).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('stores.0.name') });
  expect((await readFleet()).stores).toEqual([]);
});

it('the tick alarm is created once, polls while the stream is not live, and is re-created on install', async () => {
  await ensureTickAlarm(fakeBrowser.alarms);
  const first = await fakeBrowser.alarms.get(TICK_ALARM);
  expect(first?.periodInMinutes).toBe(1);
  await ensureTickAlarm(fakeBrowser.alarms);
  expect(await fakeBrowser.alarms.get(TICK_ALARM)).toEqual(first); // not pushed back

  await fakeBrowser.alarms.clearAll();
  const stream = { live: false };
  // Counted as they start: a tick that polls calls refresh before its first await, so the count is
  // final when the trigger returns, and a poll that should not happen cannot land after the check.
  const polls = vi.fn(refresh);
  setupPolling(stream, { runtime: fakeBrowser.runtime, alarms: fakeBrowser.alarms, refresh: polls });
  await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeDefined());
  await fakeBrowser.alarms.clearAll();
  await fakeBrowser.runtime.onInstalled.trigger({ reason: 'update', temporary: false });
  await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(TICK_ALARM)).toBeDefined());

  await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: T0 });
  expect(polls).toHaveBeenCalledTimes(1);
  await vi.waitFor(() => expect(server.fetch).toHaveBeenCalledTimes(1));
  await writesSettled();
  await fakeBrowser.alarms.onAlarm.trigger({ name: 'someone-else', scheduledTime: T0 });
  expect(polls).toHaveBeenCalledTimes(1);
  stream.live = true;
  await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: T0 });
  expect(polls).toHaveBeenCalledTimes(1);
  expect(server.fetch).toHaveBeenCalledTimes(1);
});
