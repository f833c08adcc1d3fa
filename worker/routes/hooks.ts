/**
 * Signed hooks: callers prove themselves with keys derived from HOOK_SECRET (docs/PROTOCOL.md section 4),
 * never with tokens; a scheduled job's heartbeat may use the job's own token instead.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { ARBITER_PRINCIPAL, HOOK_PRINCIPAL } from '#shared/keys.ts';
import { HookFailoverRequest } from '#shared/schemas/api.ts';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import { HeartbeatRequest } from '#shared/schemas/duties-api.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { ApiException, notFound } from '../http/api-error.ts';
import { parseJson, validate } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { jobTokenOrSignature } from '../http/job-token.ts';
import { authenticateHook, readHookBody } from '../http/signed.ts';
import { monitorStub } from '../monitor/stub.ts';
import { requestFailover } from './failover.ts';

export const hooks = new Hono<AppEnv>().basePath('/hooks/v1');
hooks.use(readHookBody);

/** The hook's failover request; it can never waive the RPO guard. */
hooks.post('/failover', async (c) => {
  const json = parseJson(c.get('rawBody'));
  // The key is the body's store's: read it first, check the signature, then the rest of the body.
  const { store: storeId } = validate(z.object({ store: HookFailoverRequest.shape.store }), json);
  if (!ID_PATTERN.test(storeId)) throw notFound(`no store "${storeId.slice(0, 64)}"`);
  await authenticateHook(c, storeId, (p) => p === HOOK_PRINCIPAL);
  const body = validate(HookFailoverRequest, json);
  if (body.allowDataLoss !== undefined)
    throw new ApiException(
      400,
      'invalid_request',
      'allowDataLoss cannot be sent by a hook: only an operator (POST /api/v1/stores/:id/failover) may waive the lag guard',
    );
  return requestFailover(c, body.store, {
    source: 'hook',
    requestedBy: 'hook',
    reason: body.reason,
    target: body.target,
  });
});

/**
 * Push mode: an agent behind NAT sends its health report, signed with its own key. The report
 * must be the signer's own: a node's key speaks for that node, the arbiter's for the arbiter. The
 * node the monitor holds as serving primary gets `{ accepted: true, lease: { epoch, seconds,
 * timestamp, signature } }` (contract section 6).
 */
hooks.post('/agent/:storeId', async (c) => {
  const storeId = c.req.param('storeId');
  if (!ID_PATTERN.test(storeId)) throw notFound(`no store "${storeId.slice(0, 64)}"`);
  const principal = await authenticateHook(c, storeId, (p) => p !== HOOK_PRINCIPAL && !p.startsWith('job:'));
  const report = validate(AgentReport, parseJson(c.get('rawBody')), 'invalid_report');
  const own =
    principal === ARBITER_PRINCIPAL
      ? report.role === 'arbiter'
      : report.node === principal && report.role !== 'arbiter';
  if (!own)
    throw new ApiException(
      401,
      'signature_wrong_principal',
      `a report of ${report.role === 'arbiter' ? 'the arbiter' : `node "${report.node.slice(0, 64)}"`} must be signed with its own key, not that of "${principal}"`,
    );
  const answer = await monitorStub(c.env, storeId).pushReport(report, principal);
  if (!answer.accepted) throw new ApiException(422, 'invalid_report', answer.reason);
  // The held serving primary gets its lease in the answer (contract section 6).
  return c.json(answer.lease ? { accepted: true, lease: answer.lease } : { accepted: true }, 202);
});

/**
 * A scheduled job's heartbeat: `start`, `success`, `fail` or `skipped`, with an optional message;
 * a primary-only job names its node (and epoch), which must be one of the store's nodes; a start
 * from a node behind the store's epoch is refused (409 `stale_epoch`), so it does not run.
 */
hooks.post('/heartbeat/:storeId/:jobId', jobTokenOrSignature, async (c) => {
  const storeId = c.req.param('storeId');
  const jobId = c.req.param('jobId');
  const body = validate(HeartbeatRequest, parseJson(c.get('rawBody')), 'invalid_heartbeat');
  const answer = await monitorStub(c.env, storeId).heartbeat(jobId, {
    event: body.event,
    message: body.message ?? null,
    run: body.run ?? null,
    node: body.node ?? null,
    epoch: body.epoch ?? null,
  });
  if ('job' in answer) return c.json({ job: answer.job });
  if (answer.refused === 'stale_epoch') throw new ApiException(409, 'stale_epoch', answer.why);
  if (answer.refused === 'unknown_node')
    throw new ApiException(422, 'invalid_heartbeat', `store "${storeId}" has no node "${body.node ?? ''}"`);
  throw notFound(`no job "${jobId.slice(0, 64)}" for store "${storeId.slice(0, 64)}" in the fleet config`);
});
