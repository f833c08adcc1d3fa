/**
 * Verification and application of one `POST {node}/actions` request (docs/PROTOCOL.md section 5), shared
 * by the simulated and the PostgreSQL agents. Order matters: the signature is checked over the raw
 * bytes with this node's own key, `key(WEBHOOK_SECRET, store, node)`, before anything is parsed; an
 * action naming another store or node is refused with 403 (only the worker holds the master, so
 * that is a worker bug or a forgery, never a retry to answer); a repeated Idempotency-Key is answered
 * from the ledger before the epoch check (the first delivery already raised the node's epoch); only
 * then is the epoch compared, and the action applied once its record is durably written.
 */
import { ACTION_KINDS, ActionKind, ActionRequest, idempotencyKeyFor } from '#shared/schemas/action.ts';
import { issueDetails } from '#shared/schemas/issues.ts';
import { verifySignature } from '#shared/signature.ts';
import { type ActionOutcome, ActionRefusedError, type Backend } from './backend.ts';
import type { IdempotencyLedger, LedgerAnswer } from './idempotency-ledger.ts';

export interface ActionHttpRequest {
  rawBody: string;
  /** A request header by name (case-insensitive), undefined when absent. */
  header(name: string): string | undefined;
}

export interface ActionEnv {
  /** This node's action key(s): any verifies (several while WEBHOOK_SECRET is rotated). */
  keys: readonly string[];
  /** The node this agent speaks for: an action addressed to another is refused. */
  recipient: { store: string; node: string };
  backend: Backend;
  ledger: IdempotencyLedger;
  nowMs: number;
  toleranceSeconds?: number;
  /** Problems that do not change the answer (a record that could not be updated after an apply). */
  log?: (line: string) => void;
}

export interface ActionVerdict {
  status: number;
  body: unknown;
  /** `accepted` / `completed` on success, else the error code sent back. */
  code: string;
  message: string;
  signatureValid: boolean;
  /** This request changed the node (false for refusals and replays). */
  applied: boolean;
  /** Answered from the ledger: the same key was applied before. */
  replayed: boolean;
  action: ActionRequest | null;
}

interface Refusal {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

function refuse(r: Refusal, signatureValid: boolean, action: ActionRequest | null = null): ActionVerdict {
  const error =
    r.details === undefined
      ? { code: r.code, message: r.message }
      : { code: r.code, message: r.message, details: r.details };
  return {
    status: r.status,
    body: { error },
    code: r.code,
    message: r.message,
    signatureValid,
    applied: false,
    replayed: false,
    action,
  };
}

function parseAction(rawBody: string): { ok: true; action: ActionRequest } | { ok: false; refusal: Refusal } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    const message = `body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, refusal: { status: 400, code: 'malformed_json', message } };
  }
  if (typeof json === 'object' && json !== null && 'action' in json) {
    const kind = json.action;
    if (!ActionKind.safeParse(kind).success) {
      const message = `unknown action ${JSON.stringify(kind)}; expected one of ${ACTION_KINDS.join(', ')}`;
      return { ok: false, refusal: { status: 400, code: 'unknown_action', message } };
    }
  }
  const parsed = ActionRequest.safeParse(json);
  if (!parsed.success) {
    const details = issueDetails(parsed.error);
    const message = `invalid action: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`;
    return { ok: false, refusal: { status: 400, code: 'invalid_action', message, details } };
  }
  return { ok: true, action: parsed.data };
}

function runnerFor(kind: ActionRequest['action'], backend: Backend) {
  if (kind === 'promote') return backend.promote;
  if (kind === 'fence') return backend.fence;
  return backend.reinstate;
}

type Applied = { ok: true; answer: LedgerAnswer } | { ok: false; refusal: Refusal };

function refused(status: number, code: string, message: string): Applied {
  return { ok: false, refusal: { status, code, message } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Drops the write-ahead record of an action that was not applied; the refusal stands either way. */
async function release(action: ActionRequest, env: ActionEnv): Promise<void> {
  const journal = env.ledger.journal;
  if (!journal) return;
  const key = idempotencyKeyFor(action);
  await journal.end(key, action.epoch, null).catch((error: unknown) => {
    env.log?.(`could not clear the record of refused ${key} in ${journal.where}: ${describe(error)}`);
  });
}

/** 200 for a change already in effect, 202 for one under way. */
function answerFor(action: ActionRequest, outcome: ActionOutcome): LedgerAnswer {
  const body = {
    ok: true,
    action: action.action,
    store: action.store,
    node: action.node,
    epoch: action.epoch,
    state: outcome.state,
    message: outcome.message,
    idempotencyKey: idempotencyKeyFor(action),
  };
  return { status: outcome.state === 'completed' ? 200 : 202, body };
}

async function apply(action: ActionRequest, env: ActionEnv): Promise<Applied> {
  let followed: number;
  try {
    followed = Math.max((await env.backend.report()).epoch, env.ledger.highestEpoch);
  } catch (error) {
    const message = `cannot read the node's state: ${error instanceof Error ? error.message : String(error)}`;
    return refused(503, 'backend_unavailable', message);
  }
  // A promote or fence raises the node's epoch; a reinstate carries the store's current one (contract
  // section 8), which a fence at that epoch may already have given the node.
  const stale = action.action === 'reinstate' ? action.epoch < followed : action.epoch <= followed;
  if (stale) {
    const message = `${action.action} at epoch ${action.epoch} refused: this node already follows epoch ${followed}`;
    return refused(409, 'stale_epoch', message);
  }
  if (action.action === 'reinstate' && action.primary === undefined) {
    return refused(400, 'invalid_action', 'reinstate names no primary to follow');
  }
  const run = runnerFor(action.action, env.backend);
  if (!run) {
    return refused(409, 'reinstate_unsupported', 'this agent cannot reinstate its node yet: rebuild it by hand');
  }
  const key = idempotencyKeyFor(action);
  const journal = env.ledger.journal;
  if (journal) {
    const provisional = answerFor(action, {
      state: 'accepted',
      message: 'accepted; the agent stopped before it recorded the outcome: its report shows it',
    });
    try {
      await journal.begin(key, action.epoch, provisional);
    } catch (error) {
      const message = `${action.action} not applied: its idempotency record cannot be written to ${journal.where}: ${describe(error)}`;
      return refused(503, 'ledger_unwritable', message);
    }
  }
  try {
    const answer = answerFor(action, await run.call(env.backend, action.epoch, action));
    await journal?.end(key, action.epoch, answer).catch((error: unknown) => {
      // Applied, and recorded as pending: a retry after a restart still gets a 202, never a second apply.
      env.log?.(`${key} applied, but its answer could not be recorded in ${journal.where}: ${describe(error)}`);
    });
    return { ok: true, answer };
  } catch (error) {
    await release(action, env);
    if (error instanceof ActionRefusedError) return refused(error.status, error.code, error.message);
    return refused(500, 'backend_error', `${action.action} failed: ${describe(error)}`);
  }
}

export async function handleAction(req: ActionHttpRequest, env: ActionEnv): Promise<ActionVerdict> {
  const signature = await verifySignature({
    secret: env.keys,
    timestampHeader: req.header('x-mirrorwatch-timestamp'),
    signatureHeader: req.header('x-mirrorwatch-signature'),
    rawBody: req.rawBody,
    nowMs: env.nowMs,
    toleranceSeconds: env.toleranceSeconds,
  });
  if (!signature.ok) return refuse({ status: 401, code: 'invalid_signature', message: signature.reason }, false);

  const parsed = parseAction(req.rawBody);
  if (!parsed.ok) return refuse(parsed.refusal, true);
  const action = parsed.action;

  const { store, node } = env.recipient;
  if (action.store !== store || action.node !== node) {
    const message = `action for ${action.store}/${action.node} was delivered to ${store}/${node}`;
    return refuse({ status: 403, code: 'wrong_recipient', message }, true, action);
  }

  const expectedKey = idempotencyKeyFor(action);
  const key = req.header('idempotency-key');
  if (key === undefined || key === '') {
    const message = `missing Idempotency-Key header; expected "${expectedKey}"`;
    return refuse({ status: 400, code: 'missing_idempotency_key', message }, true, action);
  }
  if (key !== expectedKey) {
    const message = `Idempotency-Key "${key.slice(0, 200)}" does not match the action; expected "${expectedKey}"`;
    return refuse({ status: 400, code: 'invalid_idempotency_key', message }, true, action);
  }

  return env.ledger.serialize(async () => {
    const previous = env.ledger.lookup(key);
    if (previous) {
      const message = `${action.action} ${key} was already applied; answering as the first time`;
      return { ...previous, code: 'replayed', message, signatureValid: true, applied: false, replayed: true, action };
    }
    const result = await apply(action, env);
    if (!result.ok) return refuse(result.refusal, true, action);
    const answer = result.answer;
    env.ledger.remember(key, action.epoch, answer);
    const code = answer.status === 200 ? 'completed' : 'accepted';
    return {
      ...answer,
      code,
      message: `${action.action} ${key} ${code}`,
      signatureValid: true,
      applied: true,
      replayed: false,
      action,
    };
  });
}
