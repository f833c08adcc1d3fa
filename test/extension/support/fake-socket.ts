/** A WebSocket stand-in the test drives by hand: the server accepts, sends, closes when told. */
import type { SocketLike } from '#extension/lib/stream-client.ts';

type AnyEvent = { data: unknown; code: number; reason: string };
type EventName = 'open' | 'message' | 'close';

export class FakeSocket implements SocketLike {
  static instances: FakeSocket[] = [];
  static reset(): void {
    FakeSocket.instances = [];
  }
  static get last(): FakeSocket {
    const socket = FakeSocket.instances.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  protocol = '';
  readonly sent: string[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  readonly #listeners: Record<EventName, Array<(event: AnyEvent) => void>> = { open: [], message: [], close: [] };

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.instances.push(this);
  }

  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: EventName, listener: (event: AnyEvent) => void): void {
    this.#listeners[type].push(listener);
  }

  send(data: string): void {
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
  }

  #emit(type: EventName, event: Partial<AnyEvent> = {}): void {
    for (const l of this.#listeners[type]) l({ data: undefined, code: 0, reason: '', ...event });
  }

  /** The upgrade succeeded; the server picked `protocol`. */
  accept(protocol = 'mirrorwatch.v1'): void {
    this.protocol = protocol;
    this.#emit('open');
  }

  receive(message: unknown): void {
    this.#emit('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }

  /** 1006 with no open first is what a browser reports for a refused upgrade (HTTP 401). */
  drop(code = 1006, reason = ''): void {
    this.#emit('close', { code, reason });
  }
}
