/**
 * Failover requests, from an operator (token) or a signed hook. Both reach the store's monitor,
 * which re-checks every condition: 202 with the failover, or 409 naming each unmet condition.
 */
import type { Context } from 'hono';
import { FailoverRequest, HookFailoverRequest } from '#shared/schemas/api.ts';
import { isFleetStore } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { parseJson, readJson, validate } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import type { RequestInput } from '../monitor/failover-runner.ts';
import { monitorStub } from '../monitor/stub.ts';

async function configuredStore(c: Context<AppEnv>, id: string): Promise<string> {
  if (!(await isFleetStore(c.env, id))) {
    throw notFound(`no store "${id.slice(0, 64)}" in the fleet config`);
  }
  return id;
}

async function request(c: Context<AppEnv>, storeId: string, input: RequestInput) {
  const answer = await monitorStub(c.env, storeId).requestFailover(input);
  if (!answer.accepted) {
    throw new ApiException(
      409,
      'failover_refused',
      `failover refused: ${answer.unmet.join('; ')}`,
      answer.unmet.map((message) => ({ path: 'failover', message })),
    );
  }
  return c.json({ failover: answer.failover }, 202);
}

export async function operatorFailover(c: Context<AppEnv>) {
  const id = await configuredStore(c, c.req.param('id') ?? '');
  const body = await readJson(c, FailoverRequest);
  return request(c, id, {
    source: 'operator',
    requestedBy: c.get('principal'),
    reason: body.reason,
    target: body.target,
    allowDataLoss: body.allowDataLoss,
  });
}

export async function hookFailover(c: Context<AppEnv>) {
  const body = validate(HookFailoverRequest, parseJson(c.get('rawBody')));
  const id = await configuredStore(c, body.store);
  return request(c, id, {
    source: 'hook',
    requestedBy: 'hook',
    reason: body.reason,
    target: body.target,
    allowDataLoss: body.allowDataLoss,
  });
}
