/**
 * A route group is an audience (anyone, a role, or a signed caller) and its guard. Routes are only
 * added through the group, so no route can exist without deciding who may call it; the registry
 * lets a test check every registered route against its audience.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { H } from 'hono/types';
import type { Role } from './auth.ts';
import type { AppEnv } from './env.ts';

export type Audience =
  | { kind: 'anyone' }
  | { kind: 'role'; role: Role }
  /** `jobToken`: a scheduled job's own token is accepted instead of the signature. */
  | { kind: 'signed'; jobToken?: true };

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  audience: Audience;
}

export function routeGroup(audience: Audience, guard: MiddlewareHandler<AppEnv> | null) {
  const app = new Hono<AppEnv>();
  const routes: RouteEntry[] = [];
  const add =
    (method: RouteEntry['method']) =>
    (path: string, handler: H<AppEnv>): void => {
      routes.push({ method, path, audience });
      if (guard) app.on(method, path, guard, handler);
      else app.on(method, path, handler);
    };
  return { app, routes, get: add('GET'), post: add('POST'), put: add('PUT'), delete: add('DELETE') };
}
