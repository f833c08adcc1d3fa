/**
 * Guard of the heartbeat hook: a scheduled job proves itself either with the hooks' signature
 * (HOOK_SECRET) or, simpler for a cron script, with its own bearer token: the Worker secret its
 * config names in `tokenSecret`. Compared in constant time; a token never stands in for a signature
 * on any other hook.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import { isFleetStore } from '../fleet/stub.ts';
import { monitorStub } from '../monitor/stub.ts';
import { ApiException } from './api-error.ts';
import { bearerToken } from './auth.ts';
import { readRawBody } from './body.ts';
import type { AppEnv } from './env.ts';
import { requireSignature } from './signed.ts';

export const requireSignatureOrJobToken = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerToken(c.req.header('authorization'));
  if (token === null) return requireSignature(c, next);
  const storeId = c.req.param('storeId') ?? '';
  const jobId = c.req.param('jobId') ?? '';
  const known = ID_PATTERN.test(jobId) && (await isFleetStore(c.env, storeId));
  const secretName = known ? await monitorStub(c.env, storeId).jobTokenSecret(jobId) : null;
  const expected = secretName ? Reflect.get(c.env, secretName) : undefined;
  // Compare even when there is nothing to compare with, so timing does not tell which jobs have tokens.
  const candidate = typeof expected === 'string' ? expected : '';
  const match = timingSafeEqual(candidate, token);
  if (!match || candidate === '')
    throw new ApiException(401, 'unauthorized', 'this job token is not valid for this job (or sign the request)');
  c.set('rawBody', await readRawBody(c));
  await next();
});
