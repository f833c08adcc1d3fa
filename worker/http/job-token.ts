/**
 * The heartbeat hook's own check: a scheduled job proves itself either with a signature made with
 * its key, key(HOOK_SECRET, store, "job:<job id>"), or, simpler for a cron script, with its own
 * bearer token: the Worker secret its config names in `tokenSecret`. Compared in constant time; a
 * token never stands in for a signature on any other hook.
 */
import { createMiddleware } from 'hono/factory';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { jobPrincipal } from '#shared/keys.ts';
import { isReservedName } from '#shared/reserved-names.ts';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import { isFleetStore } from '../fleet/stub.ts';
import { monitorStub } from '../monitor/stub.ts';
import { ApiException, notFound } from './api-error.ts';
import { tagged } from './audience.ts';
import { bearerToken } from './auth.ts';
import type { AppEnv } from './env.ts';
import { authenticateHook } from './signed.ts';

export const jobTokenOrSignature = tagged(
  createMiddleware<AppEnv, '/hooks/v1/heartbeat/:storeId/:jobId'>(async (c, next) => {
    const storeId = c.req.param('storeId');
    const jobId = c.req.param('jobId');
    if (!ID_PATTERN.test(storeId) || !ID_PATTERN.test(jobId))
      throw notFound(`no job "${jobId.slice(0, 64)}" for store "${storeId.slice(0, 64)}" in the fleet config`);
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) {
      await authenticateHook(c, storeId, (p) => p === jobPrincipal(jobId));
      return next();
    }
    const known = await isFleetStore(c.env, storeId);
    const secretName = known ? await monitorStub(c.env, storeId).jobTokenSecret(jobId) : null;
    const expected = secretName && !isReservedName(secretName) ? Reflect.get(c.env, secretName) : undefined;
    // Compare even when there is nothing to compare with, so timing does not tell which jobs have tokens.
    const candidate = typeof expected === 'string' ? expected : '';
    const match = timingSafeEqual(candidate, token);
    if (!match || candidate === '')
      throw new ApiException(401, 'unauthorized', 'this job token is not valid for this job (or sign the request)');
    await next();
  }),
  { jobToken: true },
);
