/**
 * An operator asks the monitor to reinstate a fenced former primary as a standby (contract section
 * 8). The monitor checks every condition: 202 with what it sent, or 409 naming each unmet one (or
 * the agent's refusal). Either way the request goes to the audit log.
 */
import type { Context } from 'hono';
import { ReinstateRequest } from '#shared/schemas/api.ts';
import { fleetStub } from '../fleet/stub.ts';
import { ApiException } from '../http/api-error.ts';
import { readJson } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { monitorStub } from '../monitor/stub.ts';

export async function operatorReinstate(c: Context<AppEnv>, storeId: string) {
  const body = await readJson(c, ReinstateRequest, 'invalid_request');
  const by = c.get('requestedBy');
  const answer = await monitorStub(c.env, storeId).reinstate({ node: body.node, reason: body.reason, by });
  await fleetStub(c.env).audit({
    who: by,
    action: 'reinstate.request',
    store: storeId,
    what: `reinstate ${body.node}: ${body.reason}`,
    outcome: answer.accepted ? 'done' : 'refused',
    ...(answer.accepted ? {} : { reasons: answer.unmet }),
  });
  if (!answer.accepted) {
    throw new ApiException(
      409,
      'reinstate_refused',
      `reinstate of ${body.node} refused: ${answer.unmet.join('; ')}`,
      answer.unmet.map((message) => ({ path: 'node', message })),
    );
  }
  return c.json({ reinstatement: answer.reinstatement }, 202);
}
