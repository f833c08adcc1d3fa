import { describe, expect, it } from 'vitest';
import { handleAction } from '#agent/actions.ts';
import { ActionRefusedError, type Backend } from '#agent/backend.ts';
import { IdempotencyLedger } from '#agent/idempotency-ledger.ts';
import { actionBody } from '#harness/sim-harness.ts';
import { signedHeaders } from '#shared/signature.ts';

const secret = 'unit-secret';
const recipient = { store: 'gz-tianhe', node: 'gz-tianhe-b' };

function fakeBackend(epoch: number, overrides: Partial<Backend> = {}) {
  const calls: string[] = [];
  const backend: Backend = {
    report: async () => ({
      node: recipient.node,
      role: 'standby',
      epoch,
      healthy: true,
      time: new Date().toISOString(),
    }),
    promote: async (e) => {
      calls.push(`promote ${e}`);
      await new Promise((r) => setTimeout(r, 5));
      return { state: 'accepted', message: 'promoting' };
    },
    fence: async (e) => {
      calls.push(`fence ${e}`);
      return { state: 'completed', message: 'fenced' };
    },
    ...overrides,
  };
  return { backend, calls };
}

async function request(raw: string, key: string) {
  const headers: Record<string, string> = { ...(await signedHeaders(secret, raw, Date.now())), 'idempotency-key': key };
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { rawBody: raw, header: (name: string) => lower[name.toLowerCase()] };
}

describe('handleAction', () => {
  it('applies concurrent duplicates once and answers each the same', async () => {
    const { backend, calls } = fakeBackend(3);
    const ledger = new IdempotencyLedger();
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    const env = { secret, recipient, backend, ledger, nowMs: Date.now() };
    const verdicts = await Promise.all([1, 2, 3].map(async () => handleAction(await request(raw, key), env)));
    expect(calls).toEqual(['promote 4']);
    // Which of the three gets there first is up to the scheduler; exactly one applies it.
    const shapes = verdicts.map((v) => [v.status, v.applied, v.replayed].join()).sort();
    expect(shapes).toEqual(['202,false,true', '202,false,true', '202,true,false']);
    expect(new Set(verdicts.map((v) => JSON.stringify(v.body))).size).toBe(1);
  });

  it('refuses a second action at an epoch already accepted, before the report shows it', async () => {
    const { backend, calls } = fakeBackend(3);
    const env = { secret, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    const first = actionBody({ ...recipient, epoch: 4 });
    const rival = actionBody({ ...recipient, epoch: 4, action: 'fence' });
    expect((await handleAction(await request(first.raw, first.key), env)).status).toBe(202);
    const verdict = await handleAction(await request(rival.raw, rival.key), env);
    expect(verdict).toMatchObject({ status: 409, code: 'stale_epoch' });
    expect(calls).toEqual(['promote 4']);
  });

  it('passes a backend refusal through, and frees the key for a retry', async () => {
    let refuse = true;
    const { backend } = fakeBackend(3, {
      promote: async () => {
        if (refuse) throw new ActionRefusedError(503, 'not_ready', 'WAL replay still running');
        return { state: 'completed', message: 'done' };
      },
    });
    const env = { secret, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    expect(await handleAction(await request(raw, key), env)).toMatchObject({ status: 503, code: 'not_ready' });
    refuse = false;
    expect(await handleAction(await request(raw, key), env)).toMatchObject({ status: 200, applied: true });
  });

  it('answers 500 for a backend crash and 503 when the node state cannot be read', async () => {
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    const crashing = fakeBackend(3, {
      promote: async () => {
        throw new Error('pg_ctl exited with 1');
      },
    });
    const env = { secret, recipient, backend: crashing.backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    const crashed = await handleAction(await request(raw, key), env);
    expect(crashed).toMatchObject({ status: 500, code: 'backend_error' });
    expect(crashed.message).toContain('pg_ctl exited with 1');

    const blind = fakeBackend(3, {
      report: async () => {
        throw new Error('connection refused');
      },
    });
    const verdict = await handleAction(await request(raw, key), { ...env, backend: blind.backend });
    expect(verdict).toMatchObject({ status: 503, code: 'backend_unavailable' });
  });
});

describe('IdempotencyLedger', () => {
  it('forgets the oldest keys beyond its limit', () => {
    const ledger = new IdempotencyLedger(2);
    ledger.remember('a', 1, { status: 200, body: 'a' });
    ledger.remember('b', 2, { status: 200, body: 'b' });
    ledger.remember('c', 3, { status: 200, body: 'c' });
    expect([ledger.lookup('a'), ledger.lookup('c')?.body, ledger.size, ledger.highestEpoch]).toEqual([
      undefined,
      'c',
      2,
      3,
    ]);
  });
});
