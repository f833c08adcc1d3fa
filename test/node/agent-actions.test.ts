import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleAction } from '#agent/actions.ts';
import { ActionRefusedError, type Backend } from '#agent/backend.ts';
import { IdempotencyLedger, type LedgerJournal } from '#agent/idempotency-ledger.ts';
import { actionBody } from '#harness/sim-harness.ts';

const recipient = { store: 'gz-tianhe', node: 'gz-tianhe-b' };
const MASTER = 'unit-webhook-master';

/** The contract's key and signature, computed with node:crypto, independently of shared/. */
const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
const keyOf = (master: string, store: string, node: string) => hex(master, `mirrorwatch-key/v2\n${store}\n${node}`);
const keys = [keyOf(MASTER, recipient.store, recipient.node)];

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

async function request(raw: string, key: string, signingKey = keys[0] ?? '') {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'x-mirrorwatch-timestamp': String(timestamp),
    'x-mirrorwatch-signature': `v1=${hex(signingKey, `${timestamp}.${raw}`)}`,
    'idempotency-key': key,
  };
  return { rawBody: raw, header: (name: string) => headers[name.toLowerCase()] };
}

/** A journal that records what it was asked to write, and fails when told to. */
function journal(failOn: 'begin' | 'end' | null = null) {
  const writes: string[] = [];
  const j: LedgerJournal = {
    where: '/var/lib/mirrorwatch-agent/actions.json',
    begin: async (key) => {
      if (failOn === 'begin') throw new Error('EROFS: read-only file system');
      writes.push(`begin ${key}`);
    },
    end: async (key, _epoch, answer) => {
      if (failOn === 'end') throw new Error('ENOSPC: no space left on device');
      writes.push(`end ${key} ${answer?.status ?? 'released'}`);
    },
  };
  return { journal: j, writes };
}

describe('handleAction', () => {
  it('applies concurrent duplicates once and answers each the same', async () => {
    const { backend, calls } = fakeBackend(3);
    const ledger = new IdempotencyLedger();
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    const env = { keys, recipient, backend, ledger, nowMs: Date.now() };
    const verdicts = await Promise.all([1, 2, 3].map(async () => handleAction(await request(raw, key), env)));
    expect(calls).toEqual(['promote 4']);
    // Which of the three gets there first is up to the scheduler; exactly one applies it.
    const shapes = verdicts.map((v) => [v.status, v.applied, v.replayed].join()).sort();
    expect(shapes).toEqual(['202,false,true', '202,false,true', '202,true,false']);
    expect(new Set(verdicts.map((v) => JSON.stringify(v.body))).size).toBe(1);
  });

  it('refuses a second action at an epoch already accepted, before the report shows it', async () => {
    const { backend, calls } = fakeBackend(3);
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
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
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
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
    const env = { keys, recipient, backend: crashing.backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
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

describe('keys (contract v2 section 4)', () => {
  it('verifies with this node’s own key, and with any of its keys while the master is rotated', async () => {
    const { backend, calls } = fakeBackend(3);
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    const rotated = [keyOf('new-master', recipient.store, recipient.node), ...keys];
    const env = { keys: rotated, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    expect(await handleAction(await request(raw, key, keys[0]), env)).toMatchObject({ status: 202, applied: true });
    expect(calls).toEqual(['promote 4']);
  });

  it('refuses the master itself, another node’s key and another store’s key: 401, nothing applied', async () => {
    const { backend, calls } = fakeBackend(3);
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    for (const wrong of [
      MASTER,
      keyOf(MASTER, recipient.store, 'gz-tianhe-a'),
      keyOf(MASTER, 'sz-futian', recipient.node),
    ]) {
      expect(await handleAction(await request(raw, key, wrong), env)).toMatchObject({
        status: 401,
        code: 'invalid_signature',
        applied: false,
      });
    }
    expect(calls).toEqual([]);
  });

  it('refuses an action naming another node, even signed with this node’s key: 403', async () => {
    const { backend, calls } = fakeBackend(3);
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(), nowMs: Date.now() };
    const other = actionBody({ store: recipient.store, node: 'gz-tianhe-a', epoch: 4 });
    expect(await handleAction(await request(other.raw, other.key), env)).toMatchObject({
      status: 403,
      code: 'wrong_recipient',
    });
    expect(calls).toEqual([]);
  });
});

describe('durable idempotency records', () => {
  it('refuses an action whose record cannot be written, with 503 and a reason, and does not apply it', async () => {
    const { backend, calls } = fakeBackend(3);
    const { journal: j } = journal('begin');
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(1000, j), nowMs: Date.now() };
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    const verdict = await handleAction(await request(raw, key), env);
    expect(verdict).toMatchObject({ status: 503, code: 'ledger_unwritable', applied: false });
    expect(verdict.message).toContain('not applied');
    expect(verdict.message).toContain('EROFS');
    expect(calls).toEqual([]);
    expect(env.ledger.lookup(key)).toBeUndefined();
  });

  it('writes the record before applying and the answer after; a refusal frees the key', async () => {
    let refuse = true;
    const order: string[] = [];
    const { journal: j, writes } = journal();
    const { backend } = fakeBackend(3, {
      promote: async () => {
        order.push(`apply after ${writes.length} write(s)`);
        if (refuse) throw new ActionRefusedError(503, 'not_ready', 'WAL replay still running');
        return { state: 'completed', message: 'done' };
      },
    });
    const env = { keys, recipient, backend, ledger: new IdempotencyLedger(1000, j), nowMs: Date.now() };
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    expect(await handleAction(await request(raw, key), env)).toMatchObject({ status: 503, code: 'not_ready' });
    refuse = false;
    expect(await handleAction(await request(raw, key), env)).toMatchObject({ status: 200, applied: true });
    expect(order).toEqual(['apply after 1 write(s)', 'apply after 3 write(s)']);
    expect(writes).toEqual([`begin ${key}`, `end ${key} released`, `begin ${key}`, `end ${key} 200`]);
  });

  it('an answer that cannot be recorded after the apply still goes out, and the failure is logged', async () => {
    const { backend, calls } = fakeBackend(3);
    const { journal: j } = journal('end');
    const logs: string[] = [];
    const env = {
      keys,
      recipient,
      backend,
      ledger: new IdempotencyLedger(1000, j),
      nowMs: Date.now(),
      log: (l: string) => logs.push(l),
    };
    const { raw, key } = actionBody({ ...recipient, epoch: 4 });
    expect(await handleAction(await request(raw, key), env)).toMatchObject({ status: 202, applied: true });
    expect(calls).toEqual(['promote 4']);
    expect(logs.join('\n')).toContain('ENOSPC');
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
