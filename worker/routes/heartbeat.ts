/** A scheduled job's heartbeat: `start`, `success` or `fail`, with an optional message. */
import type { Context } from 'hono';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import { HeartbeatRequest } from '#shared/schemas/duties-api.ts';
import { isFleetStore } from '../fleet/stub.ts';
import { notFound } from '../http/api-error.ts';
import { parseJson, validate } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { monitorStub } from '../monitor/stub.ts';

export async function heartbeat(c: Context<AppEnv>) {
  const storeId = c.req.param('storeId') ?? '';
  const jobId = c.req.param('jobId') ?? '';
  const body = validate(HeartbeatRequest, parseJson(c.get('rawBody')), 'invalid_heartbeat');
  const known = ID_PATTERN.test(jobId) && (await isFleetStore(c.env, storeId));
  const job = known
    ? await monitorStub(c.env, storeId).heartbeat(jobId, body.event, body.message ?? null, body.run ?? null)
    : null;
  if (!job) throw notFound(`no job "${jobId.slice(0, 64)}" for store "${storeId.slice(0, 64)}" in the fleet config`);
  return c.json({ job });
}
