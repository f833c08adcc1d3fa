import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leaseFromHeaders, leaseFromPushAnswer, parseLeaseHeader } from '#agent/lease/lease-header.ts';

const STORE = 'gz-tianhe';
const NODE = 'gz-tianhe-a';
const KEY = 'a'.repeat(64);
const OLD_KEY = 'b'.repeat(64);
const NOW = Date.parse('2026-12-02T12:00:00Z');
const TS = Math.floor(NOW / 1000);

/** The contract's lease signature, computed independently of the code under test. */
function sign(key: string, ts: number, store: string, node: string, epoch: number, seconds: number): string {
  return `v1=${createHmac('sha256', key).update(`${ts}.lease.${store}.${node}.${epoch}.${seconds}`).digest('hex')}`;
}

function headers(values: Record<string, string>) {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return (name: string) => lower[name.toLowerCase()];
}

const verifier = { keys: [KEY, OLD_KEY], store: STORE, node: NODE, nowMs: NOW };

const probeHeaders = (over: Record<string, string> = {}, key = KEY, epoch = 3, seconds = 15, ts = TS) =>
  headers({
    'X-Mirrorwatch-Lease': `epoch=${epoch}; seconds=${seconds}`,
    'X-Mirrorwatch-Timestamp': String(ts),
    'X-Mirrorwatch-Signature': sign(key, ts, STORE, NODE, epoch, seconds),
    ...over,
  });

describe('a lease on a probe', () => {
  it('is taken when signed with the node key over its store, node, epoch and seconds', async () => {
    const reading = await leaseFromHeaders(probeHeaders(), verifier);
    expect(reading).toMatchObject({ kind: 'lease', lease: { epoch: 3, seconds: 15, timestamp: TS } });
  });

  it('is taken when signed with a rotated-out key the agent still holds', async () => {
    expect((await leaseFromHeaders(probeHeaders({}, OLD_KEY), verifier)).kind).toBe('lease');
  });

  it('is no lease at all when the header is absent', async () => {
    expect(await leaseFromHeaders(headers({}), verifier)).toEqual({ kind: 'none' });
  });

  it('is rejected when signed for another node or store of the same key holder', async () => {
    const forB = headers({
      'X-Mirrorwatch-Lease': 'epoch=3; seconds=15',
      'X-Mirrorwatch-Timestamp': String(TS),
      'X-Mirrorwatch-Signature': sign(KEY, TS, STORE, 'gz-tianhe-b', 3, 15),
    });
    expect(await leaseFromHeaders(forB, verifier)).toMatchObject({ kind: 'rejected' });
    const otherStore = headers({
      'X-Mirrorwatch-Lease': 'epoch=3; seconds=15',
      'X-Mirrorwatch-Timestamp': String(TS),
      'X-Mirrorwatch-Signature': sign(KEY, TS, 'sz-futian', NODE, 3, 15),
    });
    expect(await leaseFromHeaders(otherStore, verifier)).toMatchObject({ kind: 'rejected' });
  });

  it('is rejected when its epoch or seconds were changed after signing', async () => {
    const stretched = probeHeaders({ 'X-Mirrorwatch-Lease': 'epoch=3; seconds=600' });
    expect(await leaseFromHeaders(stretched, verifier)).toMatchObject({ kind: 'rejected' });
  });

  it('is rejected with a key of another node, and when older than 300 s', async () => {
    expect((await leaseFromHeaders(probeHeaders({}, 'c'.repeat(64)), verifier)).kind).toBe('rejected');
    const stale = await leaseFromHeaders(probeHeaders({}, KEY, 3, 15, TS - 301), verifier);
    expect(stale).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/old/) });
    expect((await leaseFromHeaders(probeHeaders({}, KEY, 3, 15, TS - 299), verifier)).kind).toBe('lease');
  });

  it('is rejected when the header is malformed, without throwing', async () => {
    for (const text of [
      'epoch=3',
      'seconds=15',
      'epoch=3; seconds=0',
      'epoch=-1; seconds=5',
      'epoch=3; epoch=4',
      'x',
    ]) {
      expect(await leaseFromHeaders(probeHeaders({ 'X-Mirrorwatch-Lease': text }), verifier)).toMatchObject({
        kind: 'rejected',
      });
    }
  });

  it('accepts the fields in either order and with spaces', () => {
    expect(parseLeaseHeader(' seconds = 7 ;epoch=12 ')).toEqual({ epoch: 12, seconds: 7 });
  });
});

describe('a lease in a push answer', () => {
  const answer = (lease: unknown) => ({ accepted: true, lease });

  it('is taken when signed like a probe lease, with the timestamp as a number or a string', async () => {
    const lease = { epoch: 3, seconds: 15, timestamp: TS, signature: sign(KEY, TS, STORE, NODE, 3, 15) };
    expect(await leaseFromPushAnswer(answer(lease), verifier)).toMatchObject({ kind: 'lease', lease: { epoch: 3 } });
    const asText = { ...lease, timestamp: String(TS) };
    expect((await leaseFromPushAnswer(answer(asText), verifier)).kind).toBe('lease');
  });

  it('is no lease when the answer has none, and rejected when it is malformed or forged', async () => {
    expect(await leaseFromPushAnswer({ accepted: true }, verifier)).toEqual({ kind: 'none' });
    expect(await leaseFromPushAnswer('accepted', verifier)).toEqual({ kind: 'none' });
    expect((await leaseFromPushAnswer(answer({ epoch: 3 }), verifier)).kind).toBe('rejected');
    const forged = { epoch: 4, seconds: 15, timestamp: TS, signature: sign(KEY, TS, STORE, NODE, 3, 15) };
    expect((await leaseFromPushAnswer(answer(forged), verifier)).kind).toBe('rejected');
  });
});
