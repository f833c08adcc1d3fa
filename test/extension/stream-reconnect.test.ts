import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { TICK_ALARM } from '#extension/lib/alarms.ts';
import { BACKOFF_MAX_MS } from '#extension/lib/backoff.ts';
import { connectionLabel } from '#extension/lib/freshness.ts';
import { pollIfNotLive } from '#extension/lib/polling.ts';
import { refreshFleet } from '#extension/lib/refresh.ts';
import { connectionItem, readConnection, readFleet, settingsItem } from '#extension/lib/storage-items.ts';
import { OPEN_TIMEOUT_MS, PING, PING_INTERVAL_MS, StreamClient, setupStream } from '#extension/lib/stream-client.ts';
import { type FakeServer, fakeServer } from './support/fake-server.ts';
import { FakeSocket } from './support/fake-socket.ts';
import { SERVER, settings, store, T0, TOKEN } from './support/fixtures.ts';

let server: FakeServer;
let client: StreamClient;

function newClient(): StreamClient {
  // random 0.5 puts the jitter at exactly zero: delays are 1 s, 2 s, 4 s …
  return new StreamClient({
    WebSocket: FakeSocket,
    refresh: () => refreshFleet({ fetch: server.fetch }),
    random: () => 0.5,
  });
}

/** Moves the clock and lets the connection attempt it started (if any) finish. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await client.settled();
}

beforeEach(async () => {
  fakeBrowser.reset();
  FakeSocket.reset();
  vi.useFakeTimers({ now: T0 });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  await settingsItem.setValue(settings());
  server = fakeServer([store('a'), store('b')]);
  client = newClient();
});

afterEach(() => {
  client.stop();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('opening', () => {
  it('checks the token over REST first, then opens the socket with the token in the subprotocol only', async () => {
    await client.ensureOpen();
    expect(server.requests).toHaveLength(1);
    expect(new Headers(server.requests[0]?.init?.headers).get('Authorization')).toBe(`Bearer ${TOKEN}`);
    const socket = FakeSocket.last;
    expect(socket.url).toBe('wss://mw.example.com/api/v1/stream');
    expect(socket.url).not.toContain(TOKEN);
    expect(socket.protocols).toEqual(['mirrorwatch.v1', `mirrorwatch.bearer.${TOKEN}`]);
    expect(client.live).toBe(false);

    socket.accept();
    await client.settled();
    expect(client.live).toBe(true);
    expect(await readConnection()).toMatchObject({ state: 'connected', lastError: null });
  });

  it('refuses a socket that answers with another subprotocol', async () => {
    await client.ensureOpen();
    FakeSocket.last.accept('');
    await client.settled();
    expect(client.live).toBe(false);
    expect(FakeSocket.last.closedWith?.code).toBe(4000);
    expect(client.waitingToRetry).toBe(true);
  });

  it('does not open a second socket while one is open or opening', async () => {
    await Promise.all([client.ensureOpen(), client.ensureOpen()]);
    FakeSocket.last.accept();
    await client.ensureOpen();
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('a token that cannot travel as a subprotocol: no socket, polling instead', async () => {
    await settingsItem.setValue(settings({ token: 'abc/def==' }));
    await client.ensureOpen();
    expect(FakeSocket.instances).toHaveLength(0);
    expect(await readConnection()).toMatchObject({
      state: 'connecting',
      lastError: expect.stringContaining('polling'),
    });
    expect((await readFleet()).stores).toHaveLength(2);
  });

  it('nothing configured: no request, no socket', async () => {
    await settingsItem.setValue(settings({ serverUrl: '' }));
    await client.ensureOpen();
    expect(server.requests).toHaveLength(0);
    expect(FakeSocket.instances).toHaveLength(0);
    expect((await readConnection()).state).toBe('unconfigured');
  });
});

describe('messages', () => {
  beforeEach(async () => {
    await client.ensureOpen();
    FakeSocket.last.accept();
  });

  it('applies the snapshot, then deltas and removals', async () => {
    const socket = FakeSocket.last;
    socket.receive({ type: 'snapshot', at: 'x', stores: [store('a'), store('b')] });
    socket.receive({ type: 'store', at: 'x', store: store('a', { status: 'degraded' }) });
    socket.receive({ type: 'store', at: 'x', store: store('c') });
    socket.receive({ type: 'removed', at: 'x', id: 'b' });
    await client.settled();
    const fleet = await readFleet();
    expect(fleet.stores.map((s) => [s.id, s.status])).toEqual([
      ['a', 'degraded'],
      ['c', 'healthy'],
    ]);
    expect(fleet).toMatchObject({ server: SERVER, source: 'stream', etag: null, receivedAt: T0 });
  });

  it('ignores (and logs) what does not parse, and pongs; never throws', async () => {
    const socket = FakeSocket.last;
    socket.receive({ type: 'snapshot', at: 'x', stores: [store('a')] });
    await client.settled();
    const before = await readFleet();
    expect(() => {
      socket.receive('not json');
      socket.receive({ type: 'store', at: 'x', store: { id: 'a', status: 'on fire' } });
      socket.receive({ type: 'surprise' });
      socket.receive({ type: 'snapshot', at: 'x', stores: [store('a', { since: 'yesterday' })] });
      socket.receive('{"type":"pong"}');
      socket.receive({ type: 'error', code: 'overloaded', message: 'try later' });
    }).not.toThrow();
    await client.settled();
    expect(await readFleet()).toEqual(before);
    expect(console.warn).toHaveBeenCalledTimes(5);
  });
});

describe('reconnecting', () => {
  it('backs off 1 s, 2 s, 4 s … up to 60 s while the socket keeps failing, polling at every attempt', async () => {
    await client.ensureOpen();
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      FakeSocket.last.drop(1006);
      await client.settled();
      const sockets = FakeSocket.instances.length;
      let waited = 0;
      while (FakeSocket.instances.length === sockets) {
        await advance(500);
        waited += 500;
        if (waited > BACKOFF_MAX_MS) throw new Error('no reconnect within the maximum delay');
      }
      delays.push(waited);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    // Each attempt began with a REST round: the data stays fresh while the socket is down.
    expect(server.requests).toHaveLength(9);
    const [connection, fleet] = [await readConnection(), await readFleet()];
    expect(connection.state).toBe('connecting');
    expect(fleet.source).toBe('poll');
    expect(connectionLabel(connection, fleet, SERVER, Date.now())).toBe('Polling');
  });

  it('a snapshot after reconnecting resets the backoff', async () => {
    await client.ensureOpen();
    FakeSocket.last.drop(1006);
    await advance(1000);
    FakeSocket.last.drop(1006);
    await advance(2000);
    expect(client.attempt).toBe(2);
    FakeSocket.last.accept();
    FakeSocket.last.receive({ type: 'snapshot', at: 'x', stores: [] });
    await client.settled();
    expect(client.attempt).toBe(0);
    FakeSocket.last.drop(1001, 'going away');
    await advance(999);
    const count = FakeSocket.instances.length;
    await advance(1);
    expect(FakeSocket.instances.length).toBe(count + 1);
  });

  it('a refused upgrade (1006) then a 401 on the REST check: unauthorized, and no more attempts', async () => {
    await client.ensureOpen();
    server.mode = 'unauthorized';
    FakeSocket.last.drop(1006);
    await client.settled();
    expect((await readConnection()).state).toBe('connecting');
    await advance(1000);
    expect(await readConnection()).toMatchObject({
      state: 'unauthorized',
      lastError: expect.stringContaining('401'),
    });
    await advance(10 * 60_000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect(client.waitingToRetry).toBe(false);
  });

  it('an unreachable server: offline, and it keeps trying', async () => {
    server.mode = 'down';
    await client.ensureOpen();
    expect(await readConnection()).toMatchObject({ state: 'offline', lastError: expect.stringContaining(SERVER) });
    expect(FakeSocket.instances).toHaveLength(0);
    server.mode = 'ok';
    await advance(1000);
    expect(FakeSocket.instances).toHaveLength(1);
    expect((await readConnection()).state).toBe('connecting');
  });

  it('pings every 30 s, and gives up on a socket silent for two pings', async () => {
    await client.ensureOpen();
    const socket = FakeSocket.last;
    socket.accept();
    await advance(PING_INTERVAL_MS);
    expect(socket.sent).toEqual([PING]);
    socket.receive('{"type":"pong"}');
    await advance(PING_INTERVAL_MS);
    expect(socket.sent).toEqual([PING, PING]);
    expect(client.live).toBe(true);
    // No pong from here on: at 60 s silence still pinging, past 75 s the socket is given up.
    await advance(PING_INTERVAL_MS);
    expect(client.live).toBe(true);
    await advance(PING_INTERVAL_MS);
    expect(client.live).toBe(false);
    expect(socket.closedWith?.code).toBe(4000);
    expect((await readConnection()).lastError).toContain('no word from the server');
    await advance(1000);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('an upgrade that neither opens nor fails is given up after 15 s', async () => {
    await client.ensureOpen();
    await advance(OPEN_TIMEOUT_MS - 1);
    expect(FakeSocket.last.closedWith).toBeNull();
    await advance(1);
    expect(FakeSocket.last.closedWith?.code).toBe(4000);
    expect((await readConnection()).lastError).toContain('upgrade');
    await advance(1000);
    expect(FakeSocket.instances).toHaveLength(2);
  });

  it('a close code 4400 (the server refused our message) is logged and reconnected', async () => {
    await client.ensureOpen();
    FakeSocket.last.accept();
    FakeSocket.last.drop(4400, 'invalid message: not JSON');
    await client.settled();
    expect(console.error).toHaveBeenCalledWith(expect.stringContaining('invalid message: not JSON'));
    expect(client.waitingToRetry).toBe(true);
  });
});

describe('fallback polling', () => {
  it('polls with the last ETag while the socket is down, and not while it is live', async () => {
    server.mode = 'down';
    await client.ensureOpen();
    server.mode = 'ok';
    const isLive = () => client.live;
    await pollIfNotLive({ isLive, refresh: () => refreshFleet({ fetch: server.fetch }) });
    expect((await readFleet()).source).toBe('poll');
    expect((await readConnection()).state).toBe('connecting');
    const requests = server.requests.length;
    await advance(1000);
    FakeSocket.last.accept();
    await client.settled();
    expect(await pollIfNotLive({ isLive, refresh: () => refreshFleet({ fetch: server.fetch }) })).toBeNull();
    expect(server.requests.length).toBe(requests + 1); // only the reconnect's own REST check
  });
});

describe('settings and worker restarts', () => {
  it('restart closes the socket, forgets another server’s fleet and connects to the new one', async () => {
    await client.ensureOpen();
    const old = FakeSocket.last;
    old.accept();
    old.receive({ type: 'snapshot', at: 'x', stores: [store('a')] });
    await client.settled();
    await settingsItem.setValue(settings({ serverUrl: 'http://127.0.0.1:8787' }));
    server.stores = [store('z')];
    await client.restart();
    expect(old.closedWith?.code).toBe(1000);
    expect(FakeSocket.last.url).toBe('ws://127.0.0.1:8787/api/v1/stream');
    const fleet = await readFleet();
    expect(fleet.server).toBe('http://127.0.0.1:8787');
    expect(fleet.stores.map((s) => s.id)).toEqual(['z']);
  });

  it('a worker that starts with "connected" in storage corrects it at once, and reconnects on the minute tick', async () => {
    await connectionItem.setValue({ state: 'connected', since: T0 - 60_000, lastError: null });
    server.mode = 'down';
    const pending: Array<() => void> = [];
    const slowRefresh = async () => {
      await new Promise<void>((resolve) => pending.push(resolve));
      return refreshFleet({ fetch: server.fetch });
    };
    const stream = setupStream({ WebSocket: FakeSocket, refresh: slowRefresh, random: () => 0.5 }, fakeBrowser.alarms);
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    // While the REST check is still out, nothing may claim the stream is live.
    expect((await readConnection()).state).toBe('connecting');
    pending[0]?.();
    await stream.settled();
    expect((await readConnection()).state).toBe('offline');
    // Past every backoff timer (as if the worker had been stopped), the tick alone re-opens.
    stream.stop();
    server.mode = 'ok';
    await fakeBrowser.alarms.onAlarm.trigger({ name: TICK_ALARM, scheduledTime: Date.now() });
    await vi.waitFor(() => expect(pending).toHaveLength(2));
    pending[1]?.();
    await stream.settled();
    expect(FakeSocket.instances).toHaveLength(1);
    stream.stop();
  });
});
