/**
 * Push mode: an agent behind NAT sends its health report, signed with HOOK_SECRET. The report
 * counts as that node's (or the arbiter's) view while fresh; pull probes stay the edge's view.
 */
import type { Context } from 'hono';
import { AgentReport } from '#shared/schemas/report.ts';
import { isFleetStore } from '../fleet/stub.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { parseJson, validate } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { monitorStub } from '../monitor/stub.ts';

export async function agentPush(c: Context<AppEnv>) {
  const storeId = c.req.param('storeId') ?? '';
  const report = validate(AgentReport, parseJson(c.get('rawBody')), 'invalid_report');
  if (!(await isFleetStore(c.env, storeId))) {
    throw notFound(`no store "${storeId.slice(0, 64)}" in the fleet config`);
  }
  // The claimed principal until the route verifies X-Mirrorwatch-Principal (contract v2; the routes' branch).
  const principal = report.role === 'arbiter' ? 'arbiter' : report.node;
  const answer = await monitorStub(c.env, storeId).pushReport(report, principal);
  if (!answer.accepted) throw new ApiException(422, 'invalid_report', answer.reason);
  return c.json({ accepted: true }, 202);
}
