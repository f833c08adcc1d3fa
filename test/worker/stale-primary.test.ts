import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { verifySignature } from '#shared/signature.ts';
import {
  actionsTo,
  arbiterReport,
  client,
  fleetConfig,
  primaryReport,
  setAgent,
  simulatedMonitor,
  storeConfig,
  unique,
} from './support.ts';

/** HMAC-SHA256 as lowercase hex, written out here so the test does not trust shared/keys.ts. */
async function hmacHexByHand(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('an old primary back at an older epoch', () => {
  it('is flagged for reinstatement and fenced at the store epoch, signed, at most every 30 s', async () => {
    const id = unique('st');
    await Promise.all([
      setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1) }),
      setAgent(`${id}-b`, { mode: 'report', report: primaryReport(`${id}-b`, 2) }),
      setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-b`, 2) }),
      setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: true }, 2) }),
    ]);
    const monitor = await simulatedMonitor(id);
    await client().putConfig(fleetConfig([storeConfig(id)]));
    await monitor.round(0);
    const status = await monitor.rounds(3);
    expect(status).toMatchObject({ status: 'degraded', primary: `${id}-b`, epoch: 2 });
    expect(status?.nodes[0]).toMatchObject({ id: `${id}-a`, needsReinstatement: true });

    const sent = await actionsTo(`${id}-a`);
    expect(sent).toHaveLength(1);
    const [first] = sent;
    if (!first) throw new Error('no fence recorded');
    expect(JSON.parse(first.body)).toMatchObject({ action: 'fence', node: `${id}-a`, epoch: 2, requestedBy: 'auto' });
    expect(first.headers['idempotency-key']).toBe(`${id}:2:fence:${id}-a`);
    // Signed with the node's own key, key(WEBHOOK_SECRET, store, node): recomputed here by hand.
    const key = await hmacHexByHand(TEST_SECRETS.WEBHOOK_SECRET, `mirrorwatch-key/v2\n${id}\n${id}-a`);
    const verified = await verifySignature({
      secret: key,
      timestampHeader: first.headers['x-mirrorwatch-timestamp'],
      signatureHeader: first.headers['x-mirrorwatch-signature'],
      rawBody: first.body,
      nowMs: Date.now(),
    });
    expect(verified.ok).toBe(true);
    const masterSigned = await verifySignature({
      secret: TEST_SECRETS.WEBHOOK_SECRET,
      timestampHeader: first.headers['x-mirrorwatch-timestamp'],
      signatureHeader: first.headers['x-mirrorwatch-signature'],
      rawBody: first.body,
      nowMs: Date.now(),
    });
    expect(masterSigned.ok).toBe(false); // the master itself never signs
    expect(await actionsTo(`${id}-b`)).toEqual([]);

    // The first fence went out at the first round after the startup grace (T0 + 10 s).
    await monitor.rounds(4); // T0 + 35 s: not yet again
    expect(await actionsTo(`${id}-a`)).toHaveLength(1);
    await monitor.round(); // T0 + 40 s: 30 s after the first, sent again with the same key
    const again = await actionsTo(`${id}-a`);
    expect(again).toHaveLength(2);
    expect(again[1]?.headers['idempotency-key']).toBe(`${id}:2:fence:${id}-a`);
  });
});
