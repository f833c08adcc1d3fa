/**
 * Failover requests, from an operator (token) or a signed hook. Both reach the store's monitor,
 * which re-checks every condition: 202 with the failover, or 409 naming each unmet condition.
 * Either way the request (a confirmation when the store was awaiting one) goes to the audit log.
 */
import type { Context } from 'hono';
import { FailoverRequest } from '#shared/schemas/api.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException } from '../http/api-error.ts';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import type { RequestInput } from '../monitor/failover-runner.ts';
import { monitorStub } from '../monitor/stub.ts';

export async function requestFailover(c: Context<AppEnv>, storeId: string, input: RequestInput) {
  const monitor = monitorStub(c.env, storeId);
  const confirming = (await monitor.status())?.status === 'awaiting_confirm';
  const answer = await monitor.requestFailover(input);
  const waived = input.allowDataLoss ? ' (allowing data loss)' : '';
  await fleetStub(c.env).audit({
    who: input.requestedBy,
    action: confirming ? 'failover.confirm' : 'failover.request',
    store: storeId,
    what: `${confirming ? 'confirm failover' : 'failover'}${input.target ? ` to ${input.target}` : ''}${waived}: ${input.reason}`,
    outcome: answer.accepted ? 'done' : 'refused',
    ...(answer.accepted ? {} : { reasons: answer.unmet }),
  });
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

export async function operatorFailover(c: Context<AppEnv>, storeId: string) {
  const body = await readJson(c, FailoverRequest);
  return requestFailover(c, storeId, {
    source: 'operator',
    requestedBy: c.get('requestedBy'),
    reason: body.reason,
    target: body.target,
    allowDataLoss: body.allowDataLoss,
  });
}
