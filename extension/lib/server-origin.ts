/**
 * The server's address as the options page takes it: a bare http(s) origin, or a reason in the
 * page's words; and the warning for an origin that would carry the token in clear.
 */
import { PAGE_ENGLISH } from './page-catalog.ts';
import type { Words } from './ui-catalog.ts';

export type OriginCheck = { ok: true; origin: string } | { ok: false; error: string };

/** "https://mw.example.com/" → "https://mw.example.com"; anything with a path, query or credentials is refused. */
export function parseServerOrigin(input: string, w: Words = PAGE_ENGLISH): OriginCheck {
  const text = input.trim();
  if (text === '') return { ok: false, error: w('url.empty') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: w('url.notUrl', { text }) };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: w('url.scheme', { scheme: url.protocol }) };
  }
  if (url.username || url.password) return { ok: false, error: w('url.credentials') };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, error: w('url.originOnly', { origin: url.origin }) };
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
export function cleartextWarning(origin: string, w: Words = PAGE_ENGLISH): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return null;
  return w('url.cleartext', { host: url.host });
}
