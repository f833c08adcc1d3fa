import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleAction } from '#agent/actions.ts';
import type { Backend } from '#agent/backend.ts';
import { IdempotencyLedger } from '#agent/idempotency-ledger.ts';
import { actionBody } from '#harness/sim-harness.ts';

const recipient = { store: 'gz-tianhe', node: 'gz-tianhe-a' };
const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
const key = hex('unit-webhook-master', `mirrorwatch-key/v2\n${recipient.store}\n${recipient.node}`);

function signed(raw: string, idempotencyKey: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'x-mirrorwatch-timestamp': String(timestamp),
    'x-mirrorwatch-signature': `v1=${hex(key, `${timestamp}.${raw}`)}`,
    'idempotency-key': idempotencyKey,
  };
  return { rawBody: raw, header: (name: string) => headers[name.toLowerCase()] };
}

/** A fenced former primary following `epoch`; `reinstate` records its calls unless left out. */
function fencedNode(epoch: number, withReinstate = true) {
  const calls: string[] = [];
  const backend: Backend = {
    report: async () => ({
      node: recipient.node,
      role: 'unknown',
      epoch,
      healthy: false,
      fenced: true,
      time: new Date().toISOString(),
    }),
    promote: async () => ({ state: 'accepted', message: 'promoting' }),
    fence: async () => ({ state: 'completed', message: 'fenced' }),
    ...(withReinstate
      ? {
          reinstate: async (e: number, ctx: { primary?: string | undefined }) => {
            calls.push(`reinstate ${e} following ${ctx.primary}`);
            return { state: 'accepted' as const, message: 'rebuilding' };
          },
        }
      : {}),
  };
  return {
    backend,
    calls,
    env: { keys: [key], recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() },
  };
}

const reinstate = (epoch: number, extra: Record<string, unknown> = { primary: 'gz-tianhe-b' }) =>
  actionBody({ ...recipient, epoch, action: 'reinstate' }, extra);

describe('the reinstate action (contract section 8)', () => {
  it('is applied at the epoch the node already follows (a fence at the store epoch gave it that), naming the primary', async () => {
    const { env, calls } = fencedNode(4);
    const { raw, key: k } = reinstate(4);
    const verdict = await handleAction(signed(raw, k), env);
    expect(verdict).toMatchObject({ status: 202, applied: true, code: 'accepted' });
    expect(calls).toEqual(['reinstate 4 following gz-tianhe-b']);
    const again = await handleAction(signed(raw, k), env);
    expect(again).toMatchObject({ status: 202, replayed: true, applied: false });
    expect(calls).toHaveLength(1);
  });

  it('is refused below the epoch the node follows, as any stale action', async () => {
    const { env, calls } = fencedNode(5);
    const { raw, key: k } = reinstate(4);
    expect(await handleAction(signed(raw, k), env)).toMatchObject({ status: 409, code: 'stale_epoch' });
    expect(calls).toEqual([]);
  });

  it('without a primary to follow is 400, and nothing is done', async () => {
    const { env, calls } = fencedNode(4);
    const { raw, key: k } = reinstate(4, {});
    expect(await handleAction(signed(raw, k), env)).toMatchObject({ status: 400, code: 'invalid_action' });
    expect(calls).toEqual([]);
  });

  it('an agent whose backend cannot reinstate yet refuses with 409, so the monitor does not retry it', async () => {
    const { env } = fencedNode(4, false);
    const { raw, key: k } = reinstate(4);
    const verdict = await handleAction(signed(raw, k), env);
    expect(verdict).toMatchObject({ status: 409, code: 'reinstate_unsupported', applied: false });
  });
});
