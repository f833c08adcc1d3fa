import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  actionBody,
  type Harness,
  json,
  probe,
  sendAction,
  startHarness,
  WEBHOOK_SECRET,
} from '#harness/sim-harness.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { signedHeaders } from '#shared/signature.ts';

const S = 'gz-tianhe';
const A = 'gz-tianhe-a';
const B = 'gz-tianhe-b';

let h: Harness;
let epoch: number;
beforeAll(async () => {
  h = await startHarness({ stores: 8 });
});
afterAll(() => h.close());
afterEach(async () => {
  await h.control.inject(S, 'reset', { initial: true });
  await h.control.clearActions();
});
const currentEpoch = async () => (await h.control.store(S)).epoch;

async function reportOf(node: string): Promise<AgentReport> {
  return AgentReport.parse(json(await probe(`${h.nodeUrl(S, node)}/health`)));
}

describe('signed promote', () => {
  it('is applied once; a repeat with the same key answers the same and changes nothing', async () => {
    epoch = (await currentEpoch()) + 1;
    await h.control.inject(S, 'crash', { node: A });
    const { raw, key } = actionBody({ store: S, node: B, epoch });
    const first = await sendAction(h.nodeUrl(S, B), raw, { key });
    expect(first).toMatchObject({ kind: 'answer', status: 200 });
    expect(json(first)).toMatchObject({ ok: true, action: 'promote', epoch, state: 'completed', idempotencyKey: key });
    expect(await reportOf(B)).toMatchObject({ role: 'primary', epoch });

    const again = await sendAction(h.nodeUrl(S, B), raw, { key });
    if (first.kind !== 'answer' || again.kind !== 'answer') throw new Error('both should be answered');
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const received = await h.control.actions({ store: S, action: 'promote' });
    expect(received).toHaveLength(2);
    expect(received.filter((r) => r.verdict.signatureValid && r.verdict.applied)).toHaveLength(1);
    expect(received[1]?.verdict).toMatchObject({ replayed: true, applied: false, status: 200 });
    expect(received[0]).toMatchObject({ node: B, endpoint: 'node', epoch, headers: { 'idempotency-key': key } });
    expect(h.logs.filter((l) => l.includes(`promoted to primary at epoch ${epoch}`))).toHaveLength(1);
  });

  it('concurrent duplicates are applied once', async () => {
    epoch = (await currentEpoch()) + 1;
    const { raw, key } = actionBody({ store: S, node: B, epoch });
    const answers = await Promise.all([1, 2, 3].map(() => sendAction(h.nodeUrl(S, B), raw, { key })));
    expect(answers.map((a) => (a.kind === 'answer' ? a.status : a.kind))).toEqual([200, 200, 200]);
    const received = await h.control.actions({ store: S, node: B });
    expect(received.filter((r) => r.verdict.applied)).toHaveLength(1);
    expect(received.filter((r) => r.verdict.replayed)).toHaveLength(2);
  });

  it('answers 202 while a delayed promotion is under way', async () => {
    const delayed = await startHarness({ stores: 1, promoteDelayMs: 30 });
    try {
      const next = (await delayed.control.store(S)).epoch + 1;
      const { raw, key } = actionBody({ store: S, node: B, epoch: next });
      const answer = await sendAction(delayed.nodeUrl(S, B), raw, { key });
      expect(answer).toMatchObject({ kind: 'answer', status: 202 });
      expect(json(answer)).toMatchObject({ state: 'accepted' });
      let role = '';
      for (let i = 0; i < 100 && role !== 'primary'; i++) {
        role = AgentReport.parse(json(await probe(`${delayed.nodeUrl(S, B)}/health`))).role;
        if (role !== 'primary') await new Promise((r) => setTimeout(r, 10));
      }
      expect(role).toBe('primary');
    } finally {
      await delayed.close();
    }
  });

  it('can be sent to the active endpoint, which hands it to the node holding the active IP', async () => {
    epoch = (await currentEpoch()) + 1;
    const { raw, key } = actionBody({ action: 'fence', store: S, node: A, epoch });
    const answer = await sendAction(`${h.server.url}/stores/${S}/active`, raw, { key });
    expect(answer).toMatchObject({ kind: 'answer', status: 200 });
    expect(await reportOf(A)).toMatchObject({ role: 'unknown', fenced: true, epoch });
    expect(await h.control.actions({ store: S })).toMatchObject([{ endpoint: 'active', node: A }]);
  });
});

describe('refused actions', () => {
  const url = () => h.nodeUrl(S, B);

  async function refusal(answer: Awaited<ReturnType<typeof sendAction>>, status: number, code: string) {
    expect(answer).toMatchObject({ kind: 'answer', status });
    expect(json(answer)).toMatchObject({ error: { code, message: expect.any(String) } });
    expect((await reportOf(B)).role).toBe('standby');
  }

  it('a bad signature: 401, nothing applied', async () => {
    const { raw, key } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    await refusal(await sendAction(url(), raw, { key, master: 'not-the-secret' }), 401, 'invalid_signature');
    const tampered = await sendAction(url(), raw, {
      key,
      headers: { 'x-mirrorwatch-signature': `v1=${'0'.repeat(64)}` },
    });
    await refusal(tampered, 401, 'invalid_signature');
    const [recorded] = await h.control.actions({ store: S });
    expect(recorded?.verdict).toMatchObject({ status: 401, signatureValid: false, applied: false });
  });

  it('a stale or future timestamp: 401', async () => {
    const { raw, key } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    const stale = await sendAction(url(), raw, { key, nowMs: Date.now() - 301_000 });
    await refusal(stale, 401, 'invalid_signature');
    if (stale.kind === 'answer') expect(stale.text).toContain('old');
    await refusal(await sendAction(url(), raw, { key, nowMs: Date.now() + 400_000 }), 401, 'invalid_signature');
  });

  it('missing signature headers: 401', async () => {
    const { raw, key } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    const answer = await probe(`${url()}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: raw,
    });
    await refusal(answer, 401, 'invalid_signature');
  });

  it('an epoch not above the node’s: 409 stale_epoch', async () => {
    const current = await currentEpoch();
    for (const e of [current, current - 1]) {
      if (e < 1) continue;
      const { raw, key } = actionBody({ store: S, node: B, epoch: e });
      const answer = await sendAction(url(), raw, { key });
      await refusal(answer, 409, 'stale_epoch');
      if (answer.kind === 'answer') expect(answer.text).toContain(`follows epoch ${current}`);
    }
  });

  it('an action for another node or store, signed with its own key: 401, the key is not this node’s', async () => {
    const next = (await currentEpoch()) + 1;
    const other = actionBody({ store: S, node: A, epoch: next });
    await refusal(await sendAction(url(), other.raw, { key: other.key }), 401, 'invalid_signature');
    const elsewhere = actionBody({ store: 'sz-futian', node: B, epoch: next });
    await refusal(await sendAction(url(), elsewhere.raw, { key: elsewhere.key }), 401, 'invalid_signature');
  });

  it('an action naming another node or store but signed with this node’s key: 403 wrong_recipient', async () => {
    const next = (await currentEpoch()) + 1;
    const other = actionBody({ store: S, node: A, epoch: next });
    const mine = { store: S, node: B };
    await refusal(await sendAction(url(), other.raw, { key: other.key, as: mine }), 403, 'wrong_recipient');
    const elsewhere = actionBody({ store: 'sz-futian', node: B, epoch: next });
    await refusal(await sendAction(url(), elsewhere.raw, { key: elsewhere.key, as: mine }), 403, 'wrong_recipient');
  });

  it('a node refuses an action signed with the master secret itself', async () => {
    const { raw, key } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    const signed = await signedHeaders(WEBHOOK_SECRET, raw, Date.now());
    const answer = await sendAction(url(), raw, {
      key,
      headers: {
        'x-mirrorwatch-timestamp': signed['X-Mirrorwatch-Timestamp'],
        'x-mirrorwatch-signature': signed['X-Mirrorwatch-Signature'],
      },
    });
    await refusal(answer, 401, 'invalid_signature');
  });

  it('malformed JSON, an unknown action, a wrong shape: 400', async () => {
    const mine = { store: S, node: B };
    await refusal(await sendAction(url(), '{"action": "promote",', { key: 'k', as: mine }), 400, 'malformed_json');
    const next = (await currentEpoch()) + 1;
    const unknown = actionBody({ action: 'reboot', store: S, node: B, epoch: next });
    await refusal(await sendAction(url(), unknown.raw, { key: unknown.key }), 400, 'unknown_action');
    const shape = actionBody({ store: S, node: B, epoch: next }, { requestedBy: 'someone', epoch: 1.5 });
    const answer = await sendAction(url(), shape.raw, { key: shape.key });
    await refusal(answer, 400, 'invalid_action');
    expect(json(answer)).toMatchObject({ error: { details: expect.arrayContaining([expect.any(Object)]) } });
  });

  it('a missing or mismatched Idempotency-Key: 400', async () => {
    const { raw } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    await refusal(await sendAction(url(), raw, { key: null }), 400, 'missing_idempotency_key');
    await refusal(await sendAction(url(), raw, { key: `${S}:1:promote:${B}x` }), 400, 'invalid_idempotency_key');
  });

  it('a body over 1 MiB: 413', async () => {
    const huge = JSON.stringify({ pad: 'x'.repeat(1024 * 1024 + 10) });
    const answer = await sendAction(url(), huge, { key: 'k', as: { store: S, node: B } });
    expect(answer).toMatchObject({ kind: 'answer', status: 413 });
  });

  it('an action to a crashed node is dropped with a reset, and recorded as such', async () => {
    await h.control.inject(S, 'crash', { node: B });
    const { raw, key } = actionBody({ store: S, node: B, epoch: (await currentEpoch()) + 1 });
    expect(await sendAction(url(), raw, { key })).toMatchObject({ kind: 'reset' });
    const [recorded] = await h.control.actions({ store: S });
    expect(recorded).toMatchObject({
      action: 'promote',
      verdict: { status: null, code: 'down', signatureValid: null },
    });
  });
});
