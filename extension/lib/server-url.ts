/** The server's address: validated as a bare http(s) origin, and every URL the extension derives from it. */

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

/** "https://mw.example.com/" → "https://mw.example.com"; anything with a path, query or credentials is refused. */
export function parseServerOrigin(input: string): OriginCheck {
  const text = input.trim();
  if (text === '') return { ok: false, error: 'Enter the server URL, e.g. https://mirrorwatch.example.com' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: `"${text}" is not a URL: write it as https://host[:port]` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `The server URL must start with https:// or http://, not ${url.protocol}//` };
  }
  if (url.username || url.password)
    return { ok: false, error: 'The server URL must not carry a user name or password' };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, error: `Give only the server's origin (${url.origin}), without a path, query or fragment` };
  }
  return { ok: true, origin: url.origin };
}

/** 127.0.0.0/8, ::1 and `localhost` (with its subdomains): traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Why an origin would expose the token, or null: over plain http the bearer token travels in clear
 * to anything on the path, which is acceptable only on this machine (a local `wrangler dev`).
 */
export function cleartextWarning(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return null;
  return `${url.host} is reached over plain http: your API token would travel in clear, readable by anyone on the network path. Use https:// unless this is a test server.`;
}

/** The host-permission pattern for exactly that origin. */
export function originPattern(origin: string): string {
  return `${origin}/*`;
}

export function storesUrl(origin: string): string {
  return `${origin}/api/v1/stores`;
}

export function failoverUrl(origin: string, storeId: string): string {
  return `${origin}/api/v1/stores/${encodeURIComponent(storeId)}/failover`;
}

export function statusPageUrl(origin: string): string {
  return `${origin}/status`;
}

export function streamUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}/api/v1/stream`;
}

export const STREAM_PROTOCOL = 'mirrorwatch.v1';
const BEARER_PROTOCOL = 'mirrorwatch.bearer.';

/**
 * A WebSocket subprotocol must be an HTTP token (RFC 9110 tchar), so a token with, say, "/" or "="
 * cannot travel in one: `new WebSocket` would throw. Such a token still works for REST (polling).
 */
const TCHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function canStreamWith(token: string): boolean {
  return TCHARS.test(token);
}

/** The token travels in the subprotocol header, never in the URL. */
export function streamProtocols(token: string): string[] {
  return [STREAM_PROTOCOL, `${BEARER_PROTOCOL}${token}`];
}
