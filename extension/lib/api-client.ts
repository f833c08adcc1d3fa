/** The REST calls the extension makes, each answer parsed into a closed set of outcomes (jobs: ./store-jobs.ts). */
import { failoverUrl, storesUrl } from './server-url.ts';
import {
  ApiError,
  type ApiErrorDetail,
  type Failover,
  FailoverAccepted,
  type StoreStatus,
  StoresBody,
} from './wire.ts';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** A server that never answers must not hold the connection loop: every request gives up after this. */
export const REQUEST_TIMEOUT_MS = 15_000;

/** Called unbound: a browser's fetch refuses to run with any other `this`. */
export const defaultFetch: FetchFn = (input, init) => fetch(input, init);

export interface Server {
  origin: string;
  token: string;
}

export type StoresResult =
  | { kind: 'ok'; stores: StoreStatus[]; etag: string | null }
  | { kind: 'not_modified' }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'failed'; message: string };

export interface ErrorInfo {
  status: number | null;
  code: string;
  message: string;
  details: ApiErrorDetail[];
}

/** `failover` is null when the server said 202 with a body this version cannot read. */
export type FailoverResult = { kind: 'accepted'; failover: Failover | null } | { kind: 'refused'; error: ErrorInfo };

export async function jsonOrNull(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/** What an error answer says, in the contract's shape or, failing that, its status line. */
export async function errorInfo(res: Response): Promise<ErrorInfo> {
  const parsed = ApiError.safeParse(await jsonOrNull(res));
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return { status: res.status, code, message, details: details ?? [] };
  }
  return {
    status: res.status,
    code: `http_${res.status}`,
    message: `HTTP ${res.status} ${res.statusText}`.trim(),
    details: [],
  };
}

export function networkMessage(origin: string, err: unknown): string {
  return `Could not reach ${origin}: ${err instanceof Error ? err.message : String(err)}`;
}

export async function fetchStores(server: Server, etag: string | null, fetchFn: FetchFn): Promise<StoresResult> {
  const headers: Record<string, string> = { Authorization: `Bearer ${server.token}`, Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  let res: Response;
  try {
    res = await fetchFn(storesUrl(server.origin), {
      headers,
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: 'failed', message: networkMessage(server.origin, err) };
  }
  if (res.status === 304) return { kind: 'not_modified' };
  if (res.status === 401 || res.status === 403) {
    const info = await errorInfo(res);
    return { kind: 'unauthorized', message: `The server refused the token (${info.status}): ${info.message}` };
  }
  if (!res.ok) {
    const info = await errorInfo(res);
    return { kind: 'failed', message: `${storesUrl(server.origin)} answered ${info.message}` };
  }
  const body = StoresBody.safeParse(await jsonOrNull(res));
  if (!body.success) {
    return { kind: 'failed', message: `${storesUrl(server.origin)} sent an unexpected body (${body.error})` };
  }
  return { kind: 'ok', stores: body.data.stores, etag: res.headers.get('ETag') };
}

export interface FailoverBody {
  reason: string;
  target?: string;
  allowDataLoss?: boolean;
}

/** Asks for a failover, or confirms the one a store is awaiting. Never throws. */
export async function postFailover(
  server: Server,
  storeId: string,
  body: FailoverBody,
  fetchFn: FetchFn,
): Promise<FailoverResult> {
  let res: Response;
  try {
    res = await fetchFn(failoverUrl(server.origin, storeId), {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${server.token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    return {
      kind: 'refused',
      error: { status: null, code: 'network', message: networkMessage(server.origin, err), details: [] },
    };
  }
  if (res.status !== 202) return { kind: 'refused', error: await errorInfo(res) };
  const parsed = FailoverAccepted.safeParse(await jsonOrNull(res));
  if (!parsed.success) {
    console.warn(`mirrorwatch: failover of ${storeId} accepted, but its body is unexpected (${parsed.error})`);
    return { kind: 'accepted', failover: null };
  }
  return { kind: 'accepted', failover: parsed.data.failover };
}
