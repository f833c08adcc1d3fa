/**
 * Bearer-token roles. Each of ADMIN_TOKEN, OPERATOR_TOKEN and VIEWER_TOKEN holds one or more
 * comma-separated values; admin ⊃ operator ⊃ viewer. A value may carry the name of the person or
 * tool holding it, `alice:tok1` (see `tokenEntries` for the exact rule): that name, never a header
 * the caller writes, is who the API records as having acted. Every candidate is compared in constant
 * time and all of them are compared, so timing tells nothing about which role (if any) matched.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { ApiException } from './api-error.ts';
import { tagged } from './audience.ts';
import type { AppEnv } from './env.ts';
import { atLeast, type Role } from './roles.ts';

type TokenEnv = Pick<Env, 'ADMIN_TOKEN' | 'OPERATOR_TOKEN' | 'VIEWER_TOKEN'>;

/** A token's name: a letter, then up to 63 letters, digits, `.`, `_` or `-` (never `:`). */
export const TOKEN_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

export interface TokenEntry {
  /** The whole configured value: always accepted, as an unnamed token. */
  value: string;
  /** When the value reads `<name>:<token>`: the name and the token that is presented with it. */
  named: { name: string; token: string } | null;
}

/**
 * The values of one token variable. A value is named when the text before its first `:` is a
 * TOKEN_NAME and something follows the `:`; the bearer token is then what follows (it may contain
 * more `:`). The whole value stays valid too, as an unnamed token, so a token that merely contains a
 * `:` is never misread: presented whole, it matches as before.
 */
export function tokenEntries(value: string | undefined): TokenEntry[] {
  return (value ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((t) => {
      const colon = t.indexOf(':');
      const name = colon > 0 ? t.slice(0, colon) : '';
      const token = colon > 0 ? t.slice(colon + 1) : '';
      return { value: t, named: TOKEN_NAME.test(name) && token.length > 0 ? { name, token } : null };
    });
}

export interface Caller {
  role: Role;
  /** The token's name, or null for an unnamed token. */
  name: string | null;
}

/** The highest role the token holds and its name, or null. */
export function callerOf(env: TokenEnv, token: string): Caller | null {
  const table: Array<[Role, string | undefined]> = [
    ['admin', env.ADMIN_TOKEN],
    ['operator', env.OPERATOR_TOKEN],
    ['viewer', env.VIEWER_TOKEN],
  ];
  let found: Caller | null = null;
  for (const [role, value] of table) {
    for (const entry of tokenEntries(value)) {
      // No early exit: keep comparing even after a match.
      const whole = timingSafeEqual(entry.value, token);
      const named = entry.named ? timingSafeEqual(entry.named.token, token) : false;
      if (found === null && whole) found = { role, name: null };
      else if (found === null && named) found = { role, name: entry.named?.name ?? null };
    }
  }
  return found;
}

export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Browsers cannot set headers on a WebSocket: they offer the token as a subprotocol instead. */
export const STREAM_PROTOCOL = 'mirrorwatch.v1';
const BEARER_PROTOCOL = 'mirrorwatch.bearer.';

function offeredProtocols(protocols: string | undefined): string[] {
  return (protocols ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export function protocolToken(upgrade: string | undefined, protocols: string | undefined): string | null {
  if (upgrade?.toLowerCase() !== 'websocket') return null;
  const bearer = offeredProtocols(protocols).find((p) => p.startsWith(BEARER_PROTOCOL));
  return bearer ? bearer.slice(BEARER_PROTOCOL.length) || null : null;
}

/** Whether the client offered the stream's subprotocol (a server must not answer one it was not offered). */
export function offersStreamProtocol(protocols: string | undefined): boolean {
  return offeredProtocols(protocols).includes(STREAM_PROTOCOL);
}

/** The token a request carries: the Authorization header, or a WebSocket's bearer subprotocol. */
export function requestToken(header: (name: string) => string | undefined): string | null {
  return bearerToken(header('authorization')) ?? protocolToken(header('upgrade'), header('sec-websocket-protocol'));
}

function forbidden(needed: Role, role: Role): ApiException {
  return new ApiException(403, 'forbidden', `this needs the ${needed} role; the token holds ${role}`);
}

/** Guards a whole sub-app: a request without a token of at least `needed` never reaches a route. */
export const requireRole = (needed: Role) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const token = requestToken((name) => c.req.header(name));
    const caller = token ? callerOf(c.env, token) : null;
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer realm="mirrorwatch"');
      throw new ApiException(401, 'unauthorized', token ? 'invalid token' : 'missing bearer token');
    }
    const who = caller.name ?? caller.role;
    c.set('role', caller.role);
    c.set('requestedBy', `${caller.role === 'viewer' ? 'viewer' : 'operator'}:${who}`);
    if (!atLeast(caller.role, needed)) throw forbidden(needed, caller.role);
    await next();
  });

/** A route that needs more than its sub-app's guard: `api.post(path, needs('operator'), handler)`. */
export function needs(needed: Role) {
  return tagged(
    createMiddleware<AppEnv>(async (c, next) => {
      if (!atLeast(c.get('role'), needed)) throw forbidden(needed, c.get('role'));
      await next();
    }),
    { role: needed },
  );
}
