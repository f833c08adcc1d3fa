/**
 * Bearer-token roles. Each of ADMIN_TOKEN, OPERATOR_TOKEN and VIEWER_TOKEN holds one or more
 * comma-separated tokens; admin ⊃ operator ⊃ viewer. Every candidate is compared in constant
 * time and all of them are compared, so timing tells nothing about which role (if any) matched.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { ApiException } from './api-error.ts';
import type { AppEnv } from './env.ts';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

type TokenEnv = Pick<Env, 'ADMIN_TOKEN' | 'OPERATOR_TOKEN' | 'VIEWER_TOKEN'>;

function tokensOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/** The highest role the token holds, or null. */
export function roleOf(env: TokenEnv, token: string): Role | null {
  const table: Array<[Role, string | undefined]> = [
    ['admin', env.ADMIN_TOKEN],
    ['operator', env.OPERATOR_TOKEN],
    ['viewer', env.VIEWER_TOKEN],
  ];
  let found: Role | null = null;
  for (const [role, value] of table) {
    for (const candidate of tokensOf(value)) {
      // No early exit: keep comparing even after a match.
      if (timingSafeEqual(candidate, token) && found === null) found = role;
    }
  }
  return found;
}

export function atLeast(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol instead. */
export const STREAM_PROTOCOL = 'mirrorwatch.v1';
const BEARER_PROTOCOL = 'mirrorwatch.bearer.';

export function protocolToken(upgrade: string | undefined, protocols: string | undefined): string | null {
  if (upgrade?.toLowerCase() !== 'websocket') return null;
  const offered = (protocols ?? '').split(',').map((p) => p.trim());
  const bearer = offered.find((p) => p.startsWith(BEARER_PROTOCOL));
  return bearer ? bearer.slice(BEARER_PROTOCOL.length) || null : null;
}

const OPERATOR_NAME = /^[A-Za-z0-9._@ -]{1,64}$/;

export type AuthVariables = { role: Role; principal: string };

/** Guards a whole sub-app: a request without a token of at least `needed` never reaches a route. */
export const requireRole = (needed: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token =
      bearerToken(c.req.header('authorization')) ??
      protocolToken(c.req.header('upgrade'), c.req.header('sec-websocket-protocol'));
    const role = token ? roleOf(c.env, token) : null;
    if (!role) {
      c.header('WWW-Authenticate', 'Bearer realm="mirrorwatch"');
      throw new ApiException(401, 'unauthorized', token ? 'invalid token' : 'missing bearer token');
    }
    c.set('role', role);
    const name = c.req.header('x-operator-name');
    c.set(
      'principal',
      `${role === 'viewer' ? 'viewer' : 'operator'}:${name && OPERATOR_NAME.test(name) ? name : role}`,
    );
    if (!atLeast(role, needed)) {
      throw new ApiException(403, 'forbidden', `this needs the ${needed} role; the token holds ${role}`);
    }
    await next();
  });

/** Per-route escalation inside a sub-app already guarded by `requireRole`. */
export function assertRole(role: Role, needed: Role): void {
  if (!atLeast(role, needed)) {
    throw new ApiException(403, 'forbidden', `this needs the ${needed} role; the token holds ${role}`);
  }
}
