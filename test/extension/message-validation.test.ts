import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBackgroundClient } from '#extension/lib/background-client.ts';
import { type HandlerDeps, handleMessage, type MessagingApi, setupMessages } from '#extension/lib/message-handler.ts';
import type { AnyResponse } from '#extension/lib/messages.ts';
import { connectionItem, fleetItem, settingsItem } from '#extension/lib/storage-items.ts';
import { type FakeServer, fakeServer } from './support/fake-server.ts';
import { connection, failover, fleet, SERVER, settings, store, TOKEN } from './support/fixtures.ts';

let server: FakeServer;
let deps: HandlerDeps & {
  stream: { live: boolean; ensureOpen: ReturnType<typeof vi.fn>; restart: ReturnType<typeof vi.fn> };
  poll: ReturnType<typeof vi.fn>;
};

beforeEach(async () => {
  fakeBrowser.reset();
  await settingsItem.setValue(settings());
  await fleetItem.setValue(fleet([store('a')]));
  await connectionItem.setValue(connection('connected'));
  server = fakeServer([store('a')]);
  deps = {
    stream: { live: true, ensureOpen: vi.fn(async () => undefined), restart: vi.fn(async () => undefined) },
    fetch: server.fetch,
    poll: vi.fn(async () => undefined),
  };
});

describe('invalid messages are answered with an error and change nothing', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'getState'],
    ['a number', 42],
    ['an array', [{ type: 'getState' }]],
    ['no type', {}],
    ['an unknown type', { type: 'deleteEverything' }],
    ['an extra key', { type: 'settingsChanged', serverUrl: 'https://evil.example' }],
    ['a failover without a store', { type: 'failover', reason: 'x' }],
    ['a failover with an empty store', { type: 'failover', store: '', reason: 'x' }],
    ['a failover with a blank reason', { type: 'failover', store: 'a', reason: '   ' }],
    ['a failover with a reason too long', { type: 'failover', store: 'a', reason: 'x'.repeat(501) }],
    [
      'a failover with a non-boolean allowDataLoss',
      { type: 'failover', store: 'a', reason: 'x', allowDataLoss: 'yes' },
    ],
    ['a failover with a numeric target', { type: 'failover', store: 'a', reason: 'x', target: 7 }],
  ])('%s', async (_what, message) => {
    const before = await fakeBrowser.storage.local.get(null);
    const answer = await handleMessage(message, deps);
    expect(answer).toMatchObject({ ok: false, error: { code: 'invalid_message', status: null, details: [] } });
    expect(await fakeBrowser.storage.local.get(null)).toEqual(before);
    expect(server.fetch).not.toHaveBeenCalled();
    expect(deps.stream.restart).not.toHaveBeenCalled();
    expect(deps.stream.ensureOpen).not.toHaveBeenCalled();
    expect(deps.poll).not.toHaveBeenCalled();
  });

  it('says what was wrong', async () => {
    const answer = await handleMessage({ type: 'failover', store: 'a', reason: ' ' }, deps);
    expect(answer).toMatchObject({ ok: false, error: { message: 'Refused a message: reason: a reason is required' } });
  });
});

describe('valid messages', () => {
  it('getState answers the fleet, the connection and the settings, never the token', async () => {
    const answer = await handleMessage({ type: 'getState' }, deps);
    expect(answer).toMatchObject({
      ok: true,
      state: {
        fleet: { server: SERVER, stores: [{ id: 'a' }] },
        connection: { state: 'connected' },
        settings: { serverUrl: SERVER, configured: true },
      },
    });
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
    expect(deps.stream.ensureOpen).toHaveBeenCalled();
  });

  it('failover posts the trimmed reason and options with the token, and answers the failover', async () => {
    server.failoverAnswer = { status: 202, body: { failover: failover({ state: 'fencing' }) } };
    const answer = await handleMessage(
      { type: 'failover', store: 'a', reason: '  planned maintenance  ', target: 'a-b', allowDataLoss: true },
      deps,
    );
    expect(answer).toMatchObject({ ok: true, failover: { id: 'fo-1', state: 'fencing' } });
    const request = server.requests[0];
    expect(request?.url).toBe(`${SERVER}/api/v1/stores/a/failover`);
    expect(request?.init?.method).toBe('POST');
    expect(new Headers(request?.init?.headers).get('Authorization')).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(String(request?.init?.body))).toEqual({
      reason: 'planned maintenance',
      target: 'a-b',
      allowDataLoss: true,
    });
    expect(deps.poll).toHaveBeenCalled();
  });

  it('a 409 comes back with every unmet condition', async () => {
    const details = [
      { path: 'target', message: 'standby lag 45 s exceeds the 30 s limit' },
      { path: 'cooldown', message: 'cooldown running for 12 min' },
    ];
    server.failoverAnswer = {
      status: 409,
      body: { error: { code: 'failover_refused', message: 'failover refused', details } },
    };
    const answer = await handleMessage({ type: 'failover', store: 'a', reason: 'x' }, deps);
    expect(answer).toEqual({
      ok: false,
      error: { code: 'failover_refused', message: 'failover refused', status: 409, details },
    });
  });

  it('a 403 (viewer token) and a server that is away come back as errors', async () => {
    server.failoverAnswer = { status: 403, body: { error: { code: 'forbidden', message: 'operator role required' } } };
    expect(await handleMessage({ type: 'failover', store: 'a', reason: 'x' }, deps)).toMatchObject({
      ok: false,
      error: { status: 403, message: 'operator role required' },
    });
    server.mode = 'down';
    expect(await handleMessage({ type: 'failover', store: 'a', reason: 'x' }, deps)).toMatchObject({
      ok: false,
      error: { code: 'network', status: null },
    });
  });

  it('settingsChanged restarts the stream; refresh polls', async () => {
    expect(await handleMessage({ type: 'settingsChanged' }, deps)).toEqual({ ok: true });
    expect(deps.stream.restart).toHaveBeenCalledTimes(1);
    expect(await handleMessage({ type: 'refresh' }, deps)).toEqual({ ok: true });
    expect(deps.poll).toHaveBeenCalledTimes(1);
  });

  it('a failure inside the background is an answer, not an exception', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    deps.stream.restart.mockRejectedValueOnce(new Error('storage quota exceeded'));
    expect(await handleMessage({ type: 'settingsChanged' }, deps)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: expect.stringContaining('storage quota exceeded') },
    });
    error.mockRestore();
  });
});

describe('the runtime boundary', () => {
  it('answers through sendResponse, and refuses other extensions', async () => {
    const listeners: Parameters<MessagingApi['onMessage']['addListener']>[0][] = [];
    setupMessages(deps, { id: 'me', onMessage: { addListener: (l) => listeners.push(l) } });
    const listener = listeners[0];
    if (!listener) throw new Error('setupMessages added no listener');

    const own = vi.fn<(r: AnyResponse) => void>();
    expect(listener({ type: 'refresh' }, { id: 'me' }, own)).toBe(true); // the answer comes later
    await vi.waitFor(() => expect(own).toHaveBeenCalledWith({ ok: true }));

    const foreign = vi.fn<(r: AnyResponse) => void>();
    expect(listener({ type: 'refresh' }, { id: 'someone-else' }, foreign)).toBe(false);
    expect(foreign).toHaveBeenCalledWith(
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'foreign_sender' }) }),
    );
    expect(deps.poll).toHaveBeenCalledTimes(1);
  });

  it('the pages parse the answers too: a malformed one becomes an error', async () => {
    const client = createBackgroundClient(async () => ({ ok: true, state: { fleet: 'nope' } }));
    expect(await client.getState()).toMatchObject({ ok: false, error: { code: 'bad_answer' } });
    const silent = createBackgroundClient(async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    expect(await silent.refresh()).toMatchObject({ ok: false, error: { code: 'no_background' } });
  });
});
