/**
 * Sends one failover action to an agent (docs/PROTOCOL.md section 5): signed with the recipient node's
 * own key, `key(WEBHOOK_SECRET, store, node)` from the first master value (the agent holds only
 * that key), with the action's idempotency key, and always bounded in time, so every send ends in
 * an answer the failover machine can act on: 2xx accepted, an agent's 4xx refused, anything else
 * unreachable.
 */
import type { ActionOutcome, FailoverAction } from '#shared/failover/types.ts';
import { signingKey } from '#shared/keys.ts';
import { type ActionRequest, IDEMPOTENCY_HEADER } from '#shared/schemas/action.ts';
import { signedHeaders } from '#shared/signature.ts';

export interface SendInput {
  nodeUrl: string;
  store: string;
  node: string;
  action: FailoverAction;
  epoch: number;
  failoverId: string;
  idempotencyKey: string;
  reason: string;
  requestedBy: string;
  now: number;
  /** `reinstate` only: the current primary the node must follow (contract section 8). */
  primary?: string | undefined;
}

export interface SendResult {
  outcome: ActionOutcome;
  detail: string;
}

const MAX_DETAIL = 300;

/** `master`: WEBHOOK_SECRET as configured (comma-separated while rotated: the first value signs). */
export async function sendAction(input: SendInput, master: string, timeoutMs: number): Promise<SendResult> {
  const key = await signingKey(master, input.store, input.node);
  // A deployment without the secret cannot act; refused, so the machine ends instead of retrying.
  if (key === null) return { outcome: 'refused', detail: 'WEBHOOK_SECRET is not set: the action cannot be signed' };
  const body: ActionRequest = {
    action: input.action,
    store: input.store,
    node: input.node,
    epoch: input.epoch,
    failoverId: input.failoverId,
    reason: input.reason.slice(0, 1000),
    requestedBy: input.requestedBy,
    issuedAt: new Date(input.now).toISOString(),
    ...(input.primary === undefined ? {} : { primary: input.primary }),
  };
  const raw = JSON.stringify(body);
  const headers = {
    'content-type': 'application/json',
    [IDEMPOTENCY_HEADER]: input.idempotencyKey,
    ...(await signedHeaders(key, raw, Date.now())),
  };
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(`${input.nodeUrl.replace(/\/+$/, '')}/actions`, {
      method: 'POST',
      headers,
      body: raw,
      signal: abort.signal,
      redirect: 'manual',
    });
    const text = (await res.text()).slice(0, MAX_DETAIL);
    const detail = `HTTP ${res.status}${text ? `: ${text}` : ''}`;
    if (res.ok) return { outcome: 'accepted', detail };
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) {
      return { outcome: 'refused', detail };
    }
    return { outcome: 'unreachable', detail };
  } catch (err) {
    if (abort.signal.aborted) return { outcome: 'unreachable', detail: `no answer within ${timeoutMs} ms` };
    return { outcome: 'unreachable', detail: `connection failed: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}
