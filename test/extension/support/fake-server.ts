/** A fetch stand-in answering like the worker's REST API, recording what it was asked. */
import { vi } from 'vitest';
import type { FetchFn } from '#extension/lib/api-client.ts';
import type { StoreStatus } from '#extension/lib/wire.ts';

export interface FakeServer {
  fetch: ReturnType<typeof vi.fn<FetchFn>>;
  stores: StoreStatus[];
  etag: string;
  /** Set to make the next answers fail this way. */
  mode: 'ok' | 'unauthorized' | 'down' | 'error500';
  requests: Array<{ url: string; init: RequestInit | undefined }>;
  failoverAnswer: { status: number; body: unknown };
}

export function fakeServer(stores: StoreStatus[] = []): FakeServer {
  const server: FakeServer = {
    stores,
    etag: '"v1"',
    mode: 'ok',
    requests: [],
    failoverAnswer: { status: 202, body: {} },
    fetch: vi.fn<FetchFn>(async (url, init) => {
      server.requests.push({ url, init });
      if (server.mode === 'down') throw new TypeError('Failed to fetch');
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
      if (server.mode === 'unauthorized') {
        return json(401, { error: { code: 'unauthorized', message: 'missing or invalid token' } });
      }
      if (server.mode === 'error500') return new Response('boom', { status: 500, statusText: 'Internal Server Error' });
      if (init?.method === 'POST') return json(server.failoverAnswer.status, server.failoverAnswer.body);
      const ifNoneMatch = new Headers(init?.headers).get('If-None-Match');
      if (ifNoneMatch === server.etag) return new Response(null, { status: 304, headers: { ETag: server.etag } });
      return json(200, { stores: server.stores }, { ETag: server.etag });
    }),
  };
  return server;
}
