/**
 * The live stream of the fleet over hibernating WebSockets: a snapshot on connect, then a message
 * for every significant change of a store's summary. Keep-alive pings are answered by the runtime
 * without waking the object; anything else a client sends must be a valid ClientMessage, or the
 * socket is closed with 4400 and a reason. Each socket's attachment holds the hash of the token
 * that opened it (never the token): a socket whose token was removed is closed with 4401.
 */
import { z } from 'zod';
import { ClientMessage, type ServerMessage } from '#shared/schemas/stream.ts';
import { STREAM_PROTOCOL } from '../http/auth.ts';

export const PING = '{"type":"ping"}';
export const PONG = '{"type":"pong"}';
export const CLOSE_INVALID = 4400;
export const CLOSE_REVOKED = 4401;
/** How often open sockets' tokens are checked against the env: a removed token loses its socket within this. */
export const TOKEN_RECHECK_MS = 30_000;

const Attachment = z.object({ tokenHash: z.string() });

export interface StreamAccess {
  tokenHash: string;
  /** Whether the client offered STREAM_PROTOCOL: a server may only answer a subprotocol it was offered. */
  answerProtocol: boolean;
}

export function acceptStream(ctx: DurableObjectState, snapshot: ServerMessage, access: StreamAccess): Response {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server);
  server.serializeAttachment({ tokenHash: access.tokenHash });
  server.send(JSON.stringify(snapshot));
  const headers: HeadersInit = access.answerProtocol ? { 'Sec-WebSocket-Protocol': STREAM_PROTOCOL } : {};
  return new Response(null, { status: 101, webSocket: client, headers });
}

/** Closes every socket whose token is no longer valid; returns how many stay open. */
export function closeRevoked(ctx: DurableObjectState, valid: ReadonlySet<string>): number {
  let open = 0;
  for (const ws of ctx.getWebSockets()) {
    const attachment = Attachment.safeParse(ws.deserializeAttachment());
    if (attachment.success && valid.has(attachment.data.tokenHash)) {
      open += 1;
      continue;
    }
    try {
      ws.close(CLOSE_REVOKED, 'the token of this stream is no longer valid');
    } catch (err) {
      console.warn('stream: could not close a socket whose token was revoked (already closing):', err);
    }
  }
  return open;
}

export function broadcast(ctx: DurableObjectState, message: ServerMessage): number {
  const text = JSON.stringify(message);
  let sent = 0;
  for (const ws of ctx.getWebSockets()) {
    try {
      ws.send(text);
      sent += 1;
    } catch (err) {
      // A socket closing as we send: the client reconnects and gets a fresh snapshot.
      console.warn('stream: could not send to a closing socket:', err);
    }
  }
  return sent;
}

/** Answers what a client sends; never throws. */
export function onClientMessage(ws: WebSocket, raw: string | ArrayBuffer): void {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw));
  } catch {
    ws.close(CLOSE_INVALID, 'invalid message: not JSON');
    return;
  }
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) {
    ws.close(CLOSE_INVALID, `invalid message: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`.slice(0, 120));
    return;
  }
  if (parsed.data.type === 'ping') ws.send(PONG);
}
