/**
 * Who may call a route. Every route lives in a sub-app of one audience (`public`, `api`, `hooks`)
 * whose guard is applied once with `use`; a route that needs more than its sub-app's floor says so
 * with a tagged middleware (`needs('operator')`, `jobTokenAccepted`). The route table is read back
 * from the sub-apps' own `routes`, so the table cannot disagree with what is served.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { atLeast, type Role } from './roles.ts';

export type Audience =
  | { kind: 'anyone' }
  | { kind: 'role'; role: Role }
  /** `jobToken`: a scheduled job's own token is accepted instead of the signature. */
  | { kind: 'signed'; jobToken?: true };

export interface RouteEntry {
  method: string;
  path: string;
  audience: Audience;
}

export interface AudienceApp {
  audience: Audience;
  app: Hono<AppEnv>;
}

type Tag = { role: Role } | { jobToken: true };
const tags = new WeakMap<object, Tag>();

/** Marks a per-route middleware as raising the route's audience; returns it unchanged. */
export function tagged<M extends MiddlewareHandler<AppEnv>>(middleware: M, tag: Tag): M {
  tags.set(middleware, tag);
  return middleware;
}

function audienceOf(base: Audience, handlers: readonly object[]): Audience {
  let audience = base;
  for (const handler of handlers) {
    const tag = tags.get(handler);
    if (!tag) continue;
    if ('role' in tag && audience.kind === 'role' && atLeast(tag.role, audience.role))
      audience = { kind: 'role', role: tag.role };
    if ('jobToken' in tag && audience.kind === 'signed') audience = { kind: 'signed', jobToken: true };
  }
  return audience;
}

/** Every route of the sub-apps (middleware registered with `use` is method ALL and not a route). */
export function routeTable(groups: readonly AudienceApp[]): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const { audience, app } of groups) {
    const handlers = new Map<string, object[]>();
    for (const r of app.routes) {
      if (r.method === 'ALL') continue;
      const key = `${r.method} ${r.path}`;
      handlers.set(key, [...(handlers.get(key) ?? []), r.handler]);
    }
    for (const [key, hs] of handlers) {
      const [method = '', path = ''] = key.split(' ');
      entries.push({ method, path, audience: audienceOf(audience, hs) });
    }
  }
  return entries;
}
