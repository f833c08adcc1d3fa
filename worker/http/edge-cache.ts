/**
 * A few seconds of edge caching for the public pages, so a crowd on the status page costs one
 * Fleet read per colo per TTL instead of one per visitor. The key is the path plus only the query
 * parameters the page reads (in a fixed order), plus what the Worker chose from the request (the
 * page's language, from `?lang=` or `Accept-Language`, always in its canonical form), plus the
 * Fleet's name: `?x=<random>` or `?lang=ZH` cannot force a miss, and two fleets (tests, staging) never
 * share an entry.
 */
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

export const PUBLIC_TTL_SECONDS = 5;

interface Built {
  status: number;
  headers: Headers;
  body: ArrayBuffer;
}

/** Builds in flight in this isolate, by cache key: concurrent misses share one build. */
const inFlight = new Map<string, Promise<Built>>();

/**
 * The cache key's URL: origin and path, then each used parameter (first value) by name, then each
 * chosen value (it replaces a URL parameter of the same name), then the fleet.
 */
export function cacheKeyUrl(
  requestUrl: string,
  used: readonly string[],
  fleet: string,
  chosen: Readonly<Record<string, string>> = {},
): string {
  const url = new URL(requestUrl);
  const key = new URL(url.pathname, url.origin);
  for (const name of [...used].sort()) {
    const value = url.searchParams.get(name);
    if (value !== null && !(name in chosen)) key.searchParams.set(name, value);
  }
  for (const name of Object.keys(chosen).sort()) key.searchParams.set(name, chosen[name] ?? '');
  key.searchParams.set('fleet', fleet);
  return key.toString();
}

export async function cachedPublic(
  c: Context<AppEnv>,
  usedParams: readonly string[],
  build: () => Promise<Response>,
  chosen: Readonly<Record<string, string>> = {},
): Promise<Response> {
  const key = new Request(cacheKeyUrl(c.req.url, usedParams, c.env.FLEET_NAME, chosen), { method: 'GET' });
  const cache = caches.default;
  const hit = await cache.match(key);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set('X-Mirrorwatch-Cache', 'hit');
    return res;
  }
  let pending = inFlight.get(key.url);
  const leader = pending === undefined;
  if (!pending) {
    pending = build()
      .then(async (res) => {
        const headers = new Headers(res.headers);
        headers.set('Cache-Control', `public, max-age=${PUBLIC_TTL_SECONDS}`);
        headers.set('X-Mirrorwatch-Cache', 'miss');
        return { status: res.status, headers, body: await res.arrayBuffer() };
      })
      .finally(() => inFlight.delete(key.url));
    inFlight.set(key.url, pending);
  }
  const built = await pending;
  const res = new Response(built.body, { status: built.status, headers: built.headers });
  if (leader && built.status === 200) c.executionCtx.waitUntil(cache.put(key, res.clone()));
  return res;
}
