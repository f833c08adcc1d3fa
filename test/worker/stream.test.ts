import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ServerMessage } from '#shared/schemas/stream.ts';
import { client, fleetConfig, setAgent, TOKENS, unique, watchedStore } from './support.ts';

/** Asks for the stream the way a browser does: the token offered as a subprotocol, never in the URL. */
function upgrade(api: ReturnType<typeof client>, token: string = TOKENS.viewer, offer = 'mirrorwatch.v1, ') {
  return api.call('/api/v1/stream', {
    headers: { upgrade: 'websocket', 'sec-websocket-protocol': `${offer}mirrorwatch.bearer.${token}` },
  });
}

async function openStream(api: ReturnType<typeof client>, token: string = TOKENS.viewer) {
  const res = await upgrade(api, token);
  const ws = res.webSocket;
  if (!ws) throw new Error(`no WebSocket: HTTP ${res.status}`);
  const queued: ServerMessage[] = [];
  const waiting: Array<(m: ServerMessage) => void> = [];
  let closed: { code: number; reason: string } | null = null;
  const onClose: Array<(c: { code: number; reason: string }) => void> = [];
  ws.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data);
    if (text === '{"type":"pong"}') return;
    const message = ServerMessage.parse(JSON.parse(text));
    const take = waiting.shift();
    if (take) take(message);
    else queued.push(message);
  });
  ws.addEventListener('close', (event) => {
    closed = { code: event.code, reason: event.reason };
    for (const f of onClose) f(closed);
  });
  ws.accept();
  return {
    res,
    ws,
    next: () =>
      new Promise<ServerMessage>((resolve) => {
        const first = queued.shift();
        if (first) resolve(first);
        else waiting.push(resolve);
      }),
    closedWith: () =>
      new Promise<{ code: number; reason: string }>((resolve) => {
        if (closed) resolve(closed);
        else onClose.push(resolve);
      }),
  };
}

describe('GET /api/v1/stream', () => {
  it('sends a snapshot, then a message for each significant change of a store', async () => {
    const { id, monitor, api } = await watchedStore();

    const stream = await openStream(api);
    expect(stream.res.status).toBe(101);
    expect(stream.res.headers.get('sec-websocket-protocol')).toBe('mirrorwatch.v1');
    const snapshot = await stream.next();
    expect(snapshot).toMatchObject({ type: 'snapshot', stores: [{ id, status: 'healthy' }] });

    await setAgent(`${id}-b`, { mode: 'http500' });
    await monitor.round();
    await monitor.round(1000);
    // Every significant change is pushed (the retried first failure too), ending with the new status.
    const deltas: ServerMessage[] = [];
    for (let i = 0; i < 5; i++) {
      const m = await stream.next();
      deltas.push(m);
      if (m.type === 'store' && m.store.status === 'degraded') break;
    }
    expect(deltas.every((m) => m.type === 'store' && m.store.id === id)).toBe(true);
    expect(deltas.at(-1)).toMatchObject({ type: 'store', store: { id, status: 'degraded' } });
    stream.ws.close(1000, 'done');
  });

  it('answers a keep-alive ping without waking the object, and closes on a bad message with 4400', async () => {
    const api = client();
    await api.putConfig(fleetConfig([]));
    const stream = await openStream(api);
    expect((await stream.next()).type).toBe('snapshot');
    const pong = new Promise<string>((resolve) =>
      stream.ws.addEventListener(
        'message',
        (e) => typeof e.data === 'string' && e.data.includes('pong') && resolve(e.data),
      ),
    );
    stream.ws.send('{"type":"ping"}');
    expect(await pong).toBe('{"type":"pong"}');
    stream.ws.send('{"type":"delete-everything"}');
    const closed = await stream.closedWith();
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/^invalid message/);
  });

  it('refuses a missing or wrong token before upgrading, and a plain GET with 426', async () => {
    const api = client();
    const none = await api.call('/api/v1/stream', { headers: { upgrade: 'websocket' } });
    expect(none.status).toBe(401);
    expect(none.webSocket).toBeNull();
    const wrong = await upgrade(api, 'not-a-token');
    expect(wrong.status).toBe(401);
    const plain = await api.call('/api/v1/stream', { token: 'viewer' });
    expect(plain.status).toBe(426);
  });
});

describe('stream subprotocol and token lifetime', () => {
  it('answers the mirrorwatch.v1 subprotocol only when the client offered it', async () => {
    const api = client();
    await api.putConfig(fleetConfig([]));
    const offered = await upgrade(api);
    expect(offered.headers.get('sec-websocket-protocol')).toBe('mirrorwatch.v1');
    offered.webSocket?.accept();
    offered.webSocket?.close(1000, 'done');
    // A client that sends its token with the Authorization header and offers no subprotocol.
    const plain = await api.call('/api/v1/stream', { token: 'viewer', headers: { upgrade: 'websocket' } });
    expect(plain.status).toBe(101);
    expect(plain.headers.get('sec-websocket-protocol')).toBeNull();
    plain.webSocket?.accept();
    plain.webSocket?.close(1000, 'done');
  });

  it('a socket whose token was removed from the env is closed at the next check, with 4401', async () => {
    // The route runs with an env that still has the token; the Fleet object has the env of now, without it
    // (as after `wrangler secret put VIEWER_TOKEN` dropped it).
    const fleet = unique('fleet');
    const before = client(fleet, { VIEWER_TOKEN: `${TOKENS.viewer},soon-revoked` });
    await before.putConfig(fleetConfig([]));
    const kept = await openStream(before, TOKENS.viewer);
    const revoked = await openStream(before, 'soon-revoked');
    expect((await revoked.next()).type).toBe('snapshot');
    // Opening a socket armed the Fleet's re-check; run it now instead of waiting for it.
    const stub = env.FLEET.get(env.FLEET.idFromName(fleet));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await revoked.closedWith()).code).toBe(4401);
    expect((await kept.next()).type).toBe('snapshot');
    expect(kept.ws.readyState).toBe(WebSocket.OPEN);
    kept.ws.close(1000, 'done');
  });
});

describe('GET /api/v1/stores and ETag', () => {
  it('answers 304 to If-None-Match while nothing changed, 200 with a new tag after a change', async () => {
    const { id, monitor, api } = await watchedStore();
    const first = await api.call('/api/v1/stores', { token: 'viewer' });
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    const same = await api.call('/api/v1/stores', { token: 'viewer', headers: { 'if-none-match': etag ?? '' } });
    expect(same.status).toBe(304);
    await setAgent(`${id}-b`, { mode: 'http500' });
    await monitor.round();
    await monitor.round(1000);
    const changed = await api.call('/api/v1/stores', { token: 'viewer', headers: { 'if-none-match': etag ?? '' } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });
});
