import { beforeEach, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { BackgroundClient } from '#extension/lib/background-client.ts';
import { createOptionsModel } from '#extension/lib/options-model.ts';
import { readSettings, settingsItem } from '#extension/lib/storage-items.ts';
import { type FakeServer, fakeServer } from './support/fake-server.ts';
import { settings, store } from './support/fixtures.ts';

let server: FakeServer;
let permissions: {
  request: ReturnType<typeof vi.fn<(p: { origins?: string[] }) => Promise<boolean>>>;
  remove: ReturnType<typeof vi.fn<(p: { origins?: string[] }) => Promise<boolean>>>;
};
let client: { settingsChanged: ReturnType<typeof vi.fn<BackgroundClient['settingsChanged']>> };

function model() {
  return createOptionsModel({ client, permissions, fetch: server.fetch });
}

beforeEach(() => {
  fakeBrowser.reset();
  server = fakeServer([store('gz-1', { region: 'South China' }), store('sh-1', { region: 'East China' })]);
  permissions = { request: vi.fn(async () => true), remove: vi.fn(async () => true) };
  client = { settingsChanged: vi.fn(async () => ({ ok: true as const })) };
});

it('save asks for that one origin, synchronously, then stores, then tells the background', async () => {
  const m = model();
  m.serverUrl.value = 'https://mw.example.com/';
  m.token.value = ' tok ';
  m.watchStores.value = 'gz-1,\n sh-1, gz-1';
  m.watchRegions.value = 'South China';
  m.notifyAwaiting.value = false;
  const saving = m.save();
  // Asked before anything was awaited: still inside the click.
  expect(permissions.request).toHaveBeenCalledWith({ origins: ['https://mw.example.com/*'] });
  await saving;
  expect(await readSettings()).toEqual({
    serverUrl: 'https://mw.example.com',
    token: 'tok',
    watch: { stores: ['gz-1', 'sh-1'], regions: ['South China'] },
    notify: { red: true, awaiting: false, failover: true },
    language: 'auto',
  });
  expect(client.settingsChanged).toHaveBeenCalledTimes(1);
  expect(m.notice.value).toMatchObject({ tone: 'ok' });
  expect(m.serverUrl.value).toBe('https://mw.example.com');
});

it('a refused permission saves nothing', async () => {
  permissions.request.mockResolvedValueOnce(false);
  const m = model();
  m.serverUrl.value = 'https://mw.example.com';
  m.token.value = 'tok';
  await m.save();
  expect((await readSettings()).serverUrl).toBe('');
  expect(client.settingsChanged).not.toHaveBeenCalled();
  expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('Nothing was saved') });
});

it('an invalid URL or a missing token asks for nothing', async () => {
  const m = model();
  m.serverUrl.value = 'https://mw.example.com/api';
  m.token.value = 'tok';
  expect(m.urlError.value).toContain('only the server');
  await m.save();
  m.serverUrl.value = 'https://mw.example.com';
  m.token.value = '  ';
  await m.save();
  expect(permissions.request).not.toHaveBeenCalled();
  expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('token') });
});

it('moving to another server drops the old server’s access', async () => {
  await settingsItem.setValue(settings({ serverUrl: 'https://old.example.com' }));
  const m = model();
  await m.load();
  m.serverUrl.value = 'https://new.example.com';
  await m.save();
  expect(permissions.remove).toHaveBeenCalledWith({ origins: ['https://old.example.com/*'] });
});

it('test connection reports the store count, then offers the stores and regions to tick', async () => {
  const m = model();
  m.serverUrl.value = 'https://mw.example.com';
  m.token.value = 'tok';
  await m.test();
  // The API answers CORS preflights: a test needs no access, so it opens no prompt.
  expect(permissions.request).not.toHaveBeenCalled();
  expect(m.notice.value).toEqual({ tone: 'ok', text: 'Connected: the server reports 2 stores.' });
  expect(m.known.value.map((s) => s.id)).toEqual(['gz-1', 'sh-1']);
  expect(m.knownRegions.value).toEqual(['East China', 'South China']);
  m.toggleStore('sh-1', true);
  m.toggleRegion('South China', true);
  m.toggleStore('sh-1', false);
  expect(m.watchedStoreIds.value).toEqual([]);
  expect(m.watchedRegions.value).toEqual(['South China']);
  expect((await readSettings()).serverUrl).toBe(''); // a test saves nothing
});

it('test connection tells a refused token from an unreachable server', async () => {
  const m = model();
  m.serverUrl.value = 'https://mw.example.com';
  m.token.value = 'tok';
  server.mode = 'unauthorized';
  await m.test();
  expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('refused the token (401)') });
  server.mode = 'down';
  await m.test();
  expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('Could not reach') });
});

it('warns when the token cannot be streamed', () => {
  const m = model();
  m.token.value = 'abc/def=';
  expect(m.tokenWarning.value).toContain('poll once a minute');
  m.token.value = 'abc-def';
  expect(m.tokenWarning.value).toBeNull();
});

it('an http:// server off this machine is warned about, and saved only after a second click', async () => {
  const m = model();
  m.serverUrl.value = 'http://mw.example.com:8787';
  m.token.value = 'tok';
  expect(m.urlWarning.value).toContain('in clear');
  await m.save();
  expect(permissions.request).not.toHaveBeenCalled();
  expect((await readSettings()).serverUrl).toBe('');
  expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('Click again') });

  await m.save();
  expect(permissions.request).toHaveBeenCalledWith({ origins: ['http://mw.example.com:8787/*'] });
  expect((await readSettings()).serverUrl).toBe('http://mw.example.com:8787');
});

it('a loopback http:// server is saved at once, with no warning', async () => {
  const m = model();
  m.serverUrl.value = 'http://127.0.0.1:8787';
  m.token.value = 'tok';
  expect(m.urlWarning.value).toBeNull();
  await m.save();
  expect((await readSettings()).serverUrl).toBe('http://127.0.0.1:8787');
});

it('a host-permission prompt that cannot show leaves nothing disabled, and says what to do', async () => {
  vi.useFakeTimers();
  try {
    let answer: (ok: boolean) => void = () => undefined;
    permissions.request.mockReturnValueOnce(new Promise<boolean>((r) => (answer = r)));
    const m = createOptionsModel({ client, permissions, fetch: server.fetch, promptWaitMs: 4000 });
    m.serverUrl.value = 'https://mw.example.com';
    m.token.value = 'tok';
    const saving = m.save();
    expect(m.busy.value).toBe(false);
    expect(m.notice.value).toBeNull();
    await vi.advanceTimersByTimeAsync(4000);
    expect(m.busy.value).toBe(false);
    expect(m.notice.value).toMatchObject({ tone: 'error', text: expect.stringContaining('If no prompt shows') });
    expect((await readSettings()).serverUrl).toBe('');
    // Testing still works meanwhile.
    await m.test();
    expect(m.notice.value).toMatchObject({ tone: 'ok' });
    // A late answer still saves.
    answer(true);
    await saving;
    expect((await readSettings()).serverUrl).toBe('https://mw.example.com');
  } finally {
    vi.useRealTimers();
  }
});

it("with saved settings, the page offers the server's stores at once", async () => {
  await settingsItem.setValue(settings({ watch: { stores: ['gone-1'], regions: [] } }));
  const m = model();
  await m.load();
  expect(m.known.value.map((s) => s.id)).toEqual(['gz-1', 'sh-1']);
  expect(m.watchedStoreIds.value).toEqual(['gone-1']);
  m.watchAll();
  expect(m.watchedStoreIds.value).toEqual([]);
  expect(permissions.request).not.toHaveBeenCalled();
});
