/** Query parameters of the API, each 400 with a message naming the parameter when malformed. */
import type { Context } from 'hono';
import { ApiException } from './api-error.ts';
import type { AppEnv } from './env.ts';

export function timeParam(c: Context<AppEnv>, name: string): number | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const t = Date.parse(raw);
  if (Number.isNaN(t)) throw new ApiException(400, 'invalid_query', `${name} must be an ISO-8601 time`);
  return t;
}

/** A comma-separated list of allowed words (`?type=alert,status`), or null when absent. */
export function listParam(c: Context<AppEnv>, name: string, allowed: readonly string[]): string[] | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const items = raw.split(',').map((t) => t.trim());
  const bad = items.filter((t) => !allowed.includes(t));
  if (bad.length > 0 || items.length === 0)
    throw new ApiException(400, 'invalid_query', `${name} must be a comma-separated list of: ${allowed.join(', ')}`);
  return items;
}

export function intParam(c: Context<AppEnv>, name: string, min: number, max: number): number | null {
  const raw = c.req.query(name);
  if (raw === undefined) return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ApiException(400, 'invalid_query', `${name} must be an integer from ${min} to ${max}`);
  }
  return n;
}
