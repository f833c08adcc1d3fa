/**
 * Guard of the signed hooks (`/hooks/v1/*`): the contract's v1 HMAC over "<timestamp>.<raw body>"
 * with HOOK_SECRET, a 300 s window, and each signature usable once (remembered by the Fleet until it
 * would be stale anyway). The verified raw body is handed to the route, which parses it.
 */
import { createMiddleware } from 'hono/factory';
import {
  replayForgetAfterMs,
  replayKey,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
} from '#shared/signature.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException } from './api-error.ts';
import { readRawBody } from './body.ts';
import type { AppEnv } from './env.ts';

export const requireSignature = createMiddleware<AppEnv>(async (c, next) => {
  const rawBody = await readRawBody(c);
  const now = Date.now();
  const secrets = (c.env.HOOK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (secrets.length === 0)
    throw new ApiException(401, 'unauthorized', 'signed hooks are disabled: HOOK_SECRET is not set');
  const verified = await verifySignature({
    secret: secrets,
    timestampHeader: c.req.header(TIMESTAMP_HEADER),
    signatureHeader: c.req.header(SIGNATURE_HEADER),
    rawBody,
    nowMs: now,
  });
  if (!verified.ok) throw new ApiException(401, `signature_${verified.code}`, verified.reason);
  const fresh = await fleetStub(c.env).consumeSignature(
    replayKey(verified),
    replayForgetAfterMs(verified.timestamp),
    now,
  );
  if (!fresh)
    throw new ApiException(401, 'signature_replayed', 'this signature was already used; sign each request anew');
  c.set('rawBody', rawBody);
  await next();
});
