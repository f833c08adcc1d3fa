/**
 * A few seconds of edge caching for the public pages, so a crowd on the status page costs one
 * Fleet read per colo per TTL instead of one per visitor. The Fleet's name is part of the key, so
 * two fleets (tests, staging) never share an entry.
 */
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';

export const PUBLIC_TTL_SECONDS = 5;

export async function cachedPublic(c: Context<AppEnv>, build: () => Promise<Response>): Promise<Response> {
  const url = new URL(c.req.url);
  url.searchParams.set('fleet', c.env.FLEET_NAME);
  const key = new Request(url.toString(), { method: 'GET' });
  const cache = caches.default;
  const hit = await cache.match(key);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set('X-Mirrorwatch-Cache', 'hit');
    return res;
  }
  const res = await build();
  res.headers.set('Cache-Control', `public, max-age=${PUBLIC_TTL_SECONDS}`);
  res.headers.set('X-Mirrorwatch-Cache', 'miss');
  if (res.status === 200) c.executionCtx.waitUntil(cache.put(key, res.clone()));
  return res;
}
