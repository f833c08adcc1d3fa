/**
 * Signed hooks (`/hooks/v1/*`, docs/PROTOCOL.md section 4). The sub-app's guard reads the raw body once;
 * each route then names the store the request speaks for and the principals it accepts, and
 * `authenticateHook` checks, in order: the principal header, the signature with
 * key(HOOK_SECRET, store, principal) for every rotated master value, that the store exists (404),
 * that the principal belongs to the store and to this route, and that the request is used once
 * (remembered by the store's own monitor, keyed by timestamp and body hash, so a request carrying
 * two rotated signatures cannot be replayed with the other one).
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { deriveKeys, PRINCIPAL_HEADER } from '#shared/keys.ts';
import { replayForgetAfterMs, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '#shared/signature.ts';
import { fleetStub } from '../fleet/stub.ts';
import { monitorStub } from '../monitor/stub.ts';
import { ApiException, notFound } from './api-error.ts';
import { readRawBody } from './body.ts';
import type { AppEnv } from './env.ts';

/** A node id, `arbiter`, `hook` (those match the id pattern) or `job:<job id>`. */
export const PRINCIPAL_PATTERN = /^(?:job:)?[a-z0-9][a-z0-9-]{0,63}$/;

/** The hooks' guard, applied once: the body is read (and bounded) before any route sees it. */
export const readHookBody = createMiddleware<AppEnv>(async (c, next) => {
  c.set('rawBody', await readRawBody(c));
  await next();
});

const unauthorized = (code: string, message: string) => new ApiException(401, code, message);

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Authenticates a hook for `storeId`; `accepts` says which of the store's principals this route
 * takes. Returns the principal whose key signed it.
 */
export async function authenticateHook(
  c: Context<AppEnv>,
  storeId: string,
  accepts: (principal: string) => boolean,
): Promise<string> {
  const rawBody = c.get('rawBody');
  const timestampHeader = c.req.header(TIMESTAMP_HEADER);
  if (!timestampHeader) throw unauthorized('signature_missing_timestamp', `missing ${TIMESTAMP_HEADER} header`);
  const principal = c.req.header(PRINCIPAL_HEADER)?.trim() ?? '';
  if (principal === '')
    throw unauthorized('signature_missing_principal', `missing ${PRINCIPAL_HEADER} header naming the signing key`);
  if (!PRINCIPAL_PATTERN.test(principal))
    throw unauthorized(
      'signature_unknown_principal',
      `${PRINCIPAL_HEADER} must be a node id, arbiter, hook or job:<id>`,
    );
  const keys = await deriveKeys(c.env.HOOK_SECRET, storeId, principal);
  if (keys.length === 0) throw unauthorized('unauthorized', 'signed hooks are disabled: HOOK_SECRET is not set');
  const now = Date.now();
  const verified = await verifySignature({
    secret: keys,
    timestampHeader,
    signatureHeader: c.req.header(SIGNATURE_HEADER),
    rawBody,
    nowMs: now,
  });
  if (!verified.ok) throw unauthorized(`signature_${verified.code}`, verified.reason);
  const principals = await fleetStub(c.env).hookPrincipals(storeId);
  if (!principals) throw notFound(`no store "${storeId.slice(0, 64)}" in the fleet config`);
  if (!principals.includes(principal) || !accepts(principal))
    throw unauthorized(
      'signature_wrong_principal',
      `the key of "${principal}" cannot sign this request for store ${storeId}`,
    );
  const fresh = await monitorStub(c.env, storeId).consumeSignature(
    `${verified.timestamp}:${await sha256Hex(rawBody)}`,
    replayForgetAfterMs(verified.timestamp),
    now,
  );
  if (!fresh) throw unauthorized('signature_replayed', 'this request was already received; sign each request anew');
  return principal;
}
