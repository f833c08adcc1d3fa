/**
 * The live stream (`/api/v1/stream`): a REST round first (it proves the token and brings an ETag),
 * then the socket, with the token in the subprotocol header. Reconnects with backoff, pings every
 * 30 s (which also keeps an MV3 service worker awake), and gives up on a socket that has been
 * silent for two pings. Every server message is parsed; one that does not parse is logged and
 * ignored. The fleet and the connection state live in storage, so a stopped worker loses nothing:
 * the minute tick wakes it and `ensureOpen()` opens a new socket.
 */
import { browser } from 'wxt/browser';
import { type AlarmsApi, onTick } from './alarms.ts';
import { backoffDelay } from './backoff.ts';
import { applyServerMessage } from './fleet-state.ts';
import { type RefreshOutcome, refreshFleet, stateForOutcome } from './refresh.ts';
import { canStreamWith, STREAM_PROTOCOL, streamProtocols, streamUrl } from './server-url.ts';
import { resetFleetIfServerChanged, setConnection, updateFleet, writesSettled } from './state-writer.ts';
import { isConfigured, readConnection, readSettings } from './storage-items.ts';
import { ServerMessage } from './wire.ts';

/** What the client needs of a WebSocket; the browser's own one fits, and tests hand a fake. */
export interface SocketLike {
  readonly protocol: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
}
export type SocketCtor = new (url: string, protocols: string[]) => SocketLike;

export const PING = '{"type":"ping"}';
export const PING_INTERVAL_MS = 30_000;
/** Two pings without a word back (plus a margin): the connection is dead even if no close came. */
export const SILENCE_LIMIT_MS = 75_000;
/** An upgrade that neither opens nor fails within this is given up. */
export const OPEN_TIMEOUT_MS = 15_000;
/** Client close codes: 1000 on purpose, 4000 when the client gives up on a socket itself. */
const CLOSE_NORMAL = 1000;
const CLOSE_GAVE_UP = 4000;
/** The server's answer to a message it refuses. */
export const CLOSE_INVALID_MESSAGE = 4400;

export interface StreamDeps {
  WebSocket?: SocketCtor;
  refresh?: () => Promise<RefreshOutcome>;
  random?: () => number;
  now?: () => number;
}

/** A pong, a valid server message, or null (logged) for anything else. */
export function parseServerMessage(data: unknown): ServerMessage | 'pong' | null {
  if (typeof data !== 'string') {
    console.warn('mirrorwatch: ignored a binary stream message');
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    console.warn(`mirrorwatch: ignored a stream message that is not JSON: ${data.slice(0, 80)}`);
    return null;
  }
  if (typeof value === 'object' && value !== null && 'type' in value && value.type === 'pong') return 'pong';
  const parsed = ServerMessage.safeParse(value);
  if (!parsed.success) {
    console.warn(`mirrorwatch: ignored an invalid stream message (${parsed.error})`);
    return null;
  }
  return parsed.data;
}

export class StreamClient {
  readonly #WebSocket: SocketCtor;
  readonly #refresh: () => Promise<RefreshOutcome>;
  readonly #random: () => number;
  readonly #now: () => number;

  #socket: SocketLike | null = null;
  #server = '';
  #live = false;
  #attempt = 0;
  #lastHeardAt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #openTimer: ReturnType<typeof setTimeout> | undefined;
  #connecting: Promise<void> | null = null;
  /** Bumped by stop(): whatever an older attempt was still waiting for is dropped. */
  #generation = 0;

  constructor({
    WebSocket: Socket = globalThis.WebSocket,
    refresh = () => refreshFleet(),
    random = Math.random,
    now = Date.now,
  }: StreamDeps = {}) {
    this.#WebSocket = Socket;
    this.#refresh = refresh;
    this.#random = random;
    this.#now = now;
  }

  /** The socket is open and speaks our protocol. */
  get live(): boolean {
    return this.#live;
  }

  /** Failures since the last snapshot: what the next backoff delay is based on. */
  get attempt(): number {
    return this.#attempt;
  }

  get waitingToRetry(): boolean {
    return this.#retryTimer !== undefined;
  }

  /** Opens the stream unless it is open, opening, or waiting out a backoff delay. */
  ensureOpen(): Promise<void> {
    if (this.#connecting) return this.#connecting;
    if (this.#socket || this.#retryTimer !== undefined) return Promise.resolve();
    return this.#connect();
  }

  /** Resolves when the attempt under way, if any, has finished and what it wrote is stored. */
  async settled(): Promise<void> {
    await this.#connecting;
    await writesSettled();
  }

  /** After the settings changed: drop everything, forget the backoff, start over. */
  async restart(): Promise<void> {
    this.stop();
    await resetFleetIfServerChanged();
    await this.#connect();
  }

  stop(): void {
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#attempt = 0;
    const socket = this.#socket;
    this.#teardown();
    socket?.close(CLOSE_NORMAL, 'settings changed');
  }

  #connect(): Promise<void> {
    const generation = this.#generation;
    const run = this.#attemptConnection(generation).catch((err: unknown) => {
      console.error('mirrorwatch: stream connection attempt failed:', err);
      if (generation === this.#generation) this.#scheduleRetry();
    });
    this.#connecting = run;
    void run.finally(() => {
      if (this.#connecting === run) this.#connecting = null;
    });
    return run;
  }

  async #attemptConnection(generation: number): Promise<void> {
    const stale = () => generation !== this.#generation;
    const settings = await readSettings();
    if (stale()) return;
    if (!isConfigured(settings)) {
      await setConnection('unconfigured', null);
      return;
    }
    // A "connected" left behind by a stopped worker is not true any more.
    if ((await readConnection()).state === 'connected') await setConnection('connecting', null);
    const outcome = await this.#refresh();
    if (stale()) return;
    const { state, error } = stateForOutcome(outcome);
    await setConnection(state, error);
    if (stale()) return;
    if (state === 'offline') this.#scheduleRetry();
    // Offline waits for its retry; unauthorized and unconfigured wait for new settings or the tick.
    if (state !== 'connecting') return;
    if (!canStreamWith(settings.token)) {
      await setConnection('connecting', 'This token cannot travel in a WebSocket subprotocol: polling every minute');
      return;
    }
    this.#open(settings.serverUrl, settings.token);
  }

  #open(server: string, token: string): void {
    let socket: SocketLike;
    try {
      socket = new this.#WebSocket(streamUrl(server), streamProtocols(token));
    } catch (err) {
      void this.#closed(`could not open the stream: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    this.#socket = socket;
    this.#server = server;
    this.#openTimer = setTimeout(
      () => this.#giveUp(socket, `no answer to the stream upgrade within ${OPEN_TIMEOUT_MS / 1000} s`),
      OPEN_TIMEOUT_MS,
    );
    socket.addEventListener('open', () => this.#onOpen(socket));
    socket.addEventListener('message', (event) => this.#onMessage(socket, event.data));
    // An 'error' event is always followed by 'close', which decides what happens next.
    socket.addEventListener('close', (event) => this.#onClose(socket, event.code, event.reason));
  }

  #onOpen(socket: SocketLike): void {
    if (socket !== this.#socket) return;
    clearTimeout(this.#openTimer);
    if (socket.protocol !== STREAM_PROTOCOL) {
      this.#giveUp(socket, `the server answered with subprotocol "${socket.protocol}", not ${STREAM_PROTOCOL}`);
      return;
    }
    this.#live = true;
    this.#lastHeardAt = this.#now();
    this.#pingTimer = setInterval(() => this.#ping(socket), PING_INTERVAL_MS);
    void setConnection('connected', null).catch((err: unknown) =>
      console.error('mirrorwatch: state write failed:', err),
    );
  }

  #onMessage(socket: SocketLike, data: unknown): void {
    if (socket !== this.#socket) return;
    this.#lastHeardAt = this.#now();
    const message = parseServerMessage(data);
    if (message === null || message === 'pong') return;
    if (message.type === 'error') {
      console.warn(`mirrorwatch: the stream reported ${message.code}: ${message.message}`);
      return;
    }
    if (message.type === 'snapshot') this.#attempt = 0;
    const server = this.#server;
    updateFleet((fleet) => applyServerMessage(fleet, message, server, this.#now())).catch((err: unknown) =>
      console.error('mirrorwatch: could not store a stream update:', err),
    );
  }

  #onClose(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    if (code === CLOSE_INVALID_MESSAGE) console.error(`mirrorwatch: the server refused a message we sent: ${reason}`);
    void this.#closed(`stream closed (code ${code}${reason ? `: ${reason}` : ''})`);
  }

  #ping(socket: SocketLike): void {
    if (socket !== this.#socket) return;
    if (this.#now() - this.#lastHeardAt > SILENCE_LIMIT_MS) {
      this.#giveUp(socket, `no word from the server for ${Math.round(SILENCE_LIMIT_MS / 1000)} s`);
      return;
    }
    try {
      socket.send(PING);
    } catch (err) {
      this.#giveUp(socket, `ping failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Closing a dead socket may take long to report back: treat it as closed at once. */
  #giveUp(socket: SocketLike, why: string): void {
    this.#teardown();
    socket.close(CLOSE_GAVE_UP, why.slice(0, 120));
    void this.#closed(why);
  }

  async #closed(why: string): Promise<void> {
    this.#teardown();
    this.#scheduleRetry();
    // The next attempt's REST round tells a refused token (401) from a server that is away.
    await setConnection('connecting', why).catch((err: unknown) =>
      console.error('mirrorwatch: state write failed:', err),
    );
  }

  #teardown(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#openTimer);
    this.#pingTimer = undefined;
    this.#openTimer = undefined;
    this.#socket = null;
    this.#live = false;
  }

  #scheduleRetry(): void {
    if (this.#retryTimer !== undefined) return;
    const delay = backoffDelay(this.#attempt, this.#random);
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#connect();
    }, delay);
  }
}

/** The background's stream: opened now, and re-opened on every minute tick if it is closed. */
export function setupStream(deps: StreamDeps = {}, alarms: AlarmsApi = browser.alarms): StreamClient {
  const client = new StreamClient(deps);
  void client.ensureOpen();
  onTick(() => client.ensureOpen(), 'stream', alarms);
  return client;
}
