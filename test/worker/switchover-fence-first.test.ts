import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { actionsTo, primaryReport, setAgent, watchedStore } from './support.ts';

/** HMAC-SHA256 as lowercase hex, written out here so the test does not trust shared/keys.ts. */
async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('a switchover (the primary still serves)', () => {
  it('whose old primary answers 503 to its fence ends failed, naming the fence, and never promotes', async () => {
    const { id, monitor, api } = await watchedStore({ store: { failover: { mode: 'manual', cooldownSeconds: 0 } } });
    await setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, 1), actionStatus: 503 });
    const asked = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'planned switch', target: `${id}-b` }),
    });
    expect(asked.status).toBe(202);
    for (let i = 0; i < 15; i++) await monitor.round(1000);
    const status = await monitor.stub.status();
    expect(status?.lastFailover?.state).toBe('failed');
    expect(status?.lastFailover?.error).toMatch(new RegExp(`${id}-a did not accept its fence`));
    expect((await actionsTo(`${id}-a`)).length).toBeGreaterThan(0);
    expect(await actionsTo(`${id}-b`)).toEqual([]); // no promote, ever
  });

  it('promotes once the old primary accepted its fence', async () => {
    const { id, api, monitor } = await watchedStore({ store: { failover: { mode: 'manual', cooldownSeconds: 0 } } });
    const asked = await api.call(`/api/v1/stores/${id}/failover`, {
      method: 'POST',
      token: 'operator',
      body: JSON.stringify({ reason: 'planned switch', target: `${id}-b` }),
    });
    expect(asked.status).toBe(202);
    await monitor.round(1000);
    const [fence] = await actionsTo(`${id}-a`);
    const [promote] = await actionsTo(`${id}-b`);
    expect(JSON.parse(fence?.body ?? '{}')).toMatchObject({ action: 'fence', epoch: 2 });
    expect(JSON.parse(promote?.body ?? '{}')).toMatchObject({ action: 'promote', epoch: 2 });
    // Each action is signed with its recipient's own key, key(WEBHOOK_SECRET, store, node), recomputed here.
    for (const [node, sent] of [
      [`${id}-a`, fence],
      [`${id}-b`, promote],
    ] as const) {
      const key = await hmacHex(TEST_SECRETS.WEBHOOK_SECRET, `mirrorwatch-key/v2\n${id}\n${node}`);
      const ts = sent?.headers['x-mirrorwatch-timestamp'] ?? '';
      expect(sent?.headers['x-mirrorwatch-signature']).toBe(`v1=${await hmacHex(key, `${ts}.${sent?.body}`)}`);
      expect(sent?.headers['idempotency-key']).toBe(`${id}:2:${node.endsWith('-a') ? 'fence' : 'promote'}:${node}`);
    }
  });
});
