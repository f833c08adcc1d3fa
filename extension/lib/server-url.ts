/** Every URL the extension derives from the server's origin (validated in server-origin.ts). */

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
