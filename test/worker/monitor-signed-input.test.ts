import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { arbiterReport, primaryReport, setAgent, standbyReport, watchedStore } from './support.ts';

describe("a pushed report must be its signer's own", () => {
  it('a node pushes only its own report; the arbiter only as the arbiter; nothing refused is counted', async () => {
    const { id, monitor } = await watchedStore();
    const b = standbyReport(`${id}-b`, 1, { lagSeconds: 0.9 });
    const refusals = [
      await monitor.stub.pushReport(b, `${id}-a`),
      await monitor.stub.pushReport(standbyReport(`${id}-b`, 1), 'arbiter'),
      await monitor.stub.pushReport(arbiterReport({ [`${id}-a`]: false }, 1), `${id}-b`),
      await monitor.stub.pushReport(b, 'hook'),
    ];
    expect(refusals.map((r) => r.accepted)).toEqual([false, false, false, false]);
    expect(refusals[0]).toMatchObject({
      reason: expect.stringContaining(`node ${id}-a's key signed a report for "${id}-b"`),
    });
    expect(await monitor.stub.pushReport(b, `${id}-b`)).toEqual({ accepted: true });
    expect(await monitor.stub.pushReport(arbiterReport({ [`${id}-a`]: true }, 1), 'arbiter')).toEqual({
      accepted: true,
    });
  });

  it('a pushed epoch above the store epoch is shown, never adopted', async () => {
    const { id, monitor } = await watchedStore();
    await setAgent(`${id}-a`, { mode: 'hang' }); // behind NAT now: its pushes are its freshest word
    expect(await monitor.stub.pushReport(primaryReport(`${id}-a`, 7), `${id}-a`)).toEqual({ accepted: true });
    const status = await monitor.rounds(2); // its probes fail twice: the push is its word
    expect(status?.epoch).toBe(1);
    expect(status?.reasons).toContain(`node ${id}-a reports epoch 7, which mirrorwatch never issued`);
  });
});

describe('replay memory per store', () => {
  it('consumes a key once until it is forgotten, and prunes what expired', async () => {
    const { monitor } = await watchedStore();
    const now = Date.UTC(2026, 10, 21, 12);
    const forget = now + 301_000;
    expect(await monitor.stub.consumeSignature('1700000000:abc', forget, now)).toBe(true);
    expect(await monitor.stub.consumeSignature('1700000000:abc', forget, now + 1000)).toBe(false);
    expect(await monitor.stub.consumeSignature('1700000000:def', forget, now + 1000)).toBe(true);
    // After its forget time the row is pruned (it would be refused as stale before it got here).
    expect(await monitor.stub.consumeSignature('1700000400:x', forget + 400_000, forget + 1)).toBe(true);
    const left = await runInDurableObject(monitor.stub, (_m, state) =>
      state.storage.sql.exec('SELECT key FROM used_signatures ORDER BY key').toArray(),
    );
    expect(left).toEqual([{ key: '1700000400:x' }]);
    expect(await monitor.stub.consumeSignature('', forget, now)).toBe(false); // bad input: refused, nothing stored
  });
});

describe('a signed hook', () => {
  it('can never waive the lag guard, even if the route let allowDataLoss through', async () => {
    const { monitor } = await watchedStore();
    const answer = await monitor.stub.requestFailover({
      source: 'hook',
      requestedBy: 'hook',
      reason: 'forced',
      allowDataLoss: true,
    });
    expect(answer).toEqual({
      accepted: false,
      unmet: [expect.stringMatching(/^a signed hook cannot waive the lag guard/)],
    });
    expect(await monitor.stub.failovers()).toEqual([]);
  });
});
