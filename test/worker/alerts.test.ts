import { evictDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { verifySignature } from '#shared/signature.ts';
import { alertReceiver, healthyStore, receiverUrl, setAgent, unique, watchedStore } from './support.ts';

/** A healthy store whose alerts go to a webhook receiver of its own. */
async function alerted(settings: Record<string, unknown> = {}) {
  const receiver = unique('alerts');
  const { alerts, received } = alertReceiver(receiver, settings);
  return { receiver, received, ...(await watchedStore({ fleet: { alerts } })) };
}

const breakStandby = (id: string) => setAgent(`${id}-b`, { mode: 'garbage' });

describe('alerts: one per open condition, reminders, resolution', () => {
  it('opens once, reminds after the interval, resolves once, and a restart neither re-sends nor forgets', async () => {
    const { id, monitor, api, received } = await alerted({ reminderMinutes: 1, flapSeconds: 30 });
    await breakStandby(id);
    expect((await monitor.rounds(2))?.status).toBe('degraded');
    const [open] = await received();
    expect(open?.message).toMatchObject({
      kind: 'open',
      key: `${id}/degraded`,
      condition: 'degraded',
      severity: 'warning',
    });
    expect(open?.message.text).toContain(`standby ${id}-b unreachable`);
    expect(open?.headers['x-mirrorwatch-alert-key']).toBe(`${id}/degraded`);
    const verified = await verifySignature({
      secret: TEST_SECRETS.ALERT_WEBHOOK_SECRET,
      timestampHeader: open?.headers['x-mirrorwatch-timestamp'],
      signatureHeader: open?.headers['x-mirrorwatch-signature'],
      rawBody: open?.body ?? '',
      nowMs: Date.now(),
    });
    expect(verified.ok).toBe(true);

    await monitor.rounds(4); // 30 s open: still one alert
    expect(await received()).toHaveLength(1);

    await evictDurableObject(monitor.stub);
    await monitor.attach();
    const afterRestart = await monitor.rounds(2); // the startup grace: the status is unknown again
    expect(afterRestart?.status).toMatch(/unknown|degraded/);
    expect(await received()).toHaveLength(1);

    await monitor.rounds(6); // over 60 s since the alert opened: one reminder
    const reminded = await received();
    expect(reminded.map((r) => r.message.kind)).toEqual(['open', 'reminder']);

    await healthyStore(id);
    expect((await monitor.rounds(2))?.status).toBe('healthy');
    expect(await received()).toHaveLength(2); // clear for 10 s: not yet resolved (flapSeconds 30)
    await monitor.rounds(5);
    const all = await received();
    expect(all.map((r) => r.message.kind)).toEqual(['open', 'reminder', 'resolved']);
    expect(all[2]?.message.title).toMatch(/^RESOLVED /);

    const log = await api.call(`/api/v1/stores/${id}/events?type=alert`, { token: 'viewer' });
    const lines = ((await log.json()) as { events: Array<{ message: string }> }).events.map((e) => e.message);
    expect(lines.filter((l) => l.includes('delivered to webhook channel "ops"'))).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('opened: '))).toHaveLength(1);
  });

  it('a condition flapping inside the flap window is one alert, not a storm', async () => {
    const { id, monitor, received } = await alerted();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      await breakStandby(id);
      seen.push((await monitor.rounds(2))?.status ?? '');
      await healthyStore(id);
      seen.push((await monitor.rounds(2))?.status ?? '');
    }
    expect(seen).toEqual(['degraded', 'healthy', 'degraded', 'healthy', 'degraded', 'healthy', 'degraded', 'healthy']);
    expect((await received()).map((r) => r.message.kind)).toEqual(['open']);
    await monitor.rounds(13); // stable for over a minute: resolved, once
    expect((await received()).map((r) => r.message.kind)).toEqual(['open', 'resolved']);
  });

  it('retries a failed delivery with backoff through the alarm and logs every outcome', async () => {
    const { id, receiver, monitor, api, received } = await alerted();
    await setAgent(receiver, { mode: 'refuse-posts', status: 503 });
    await breakStandby(id);
    await monitor.rounds(2);
    expect(await received()).toHaveLength(1);
    await monitor.rounds(2); // 10 s later: the second attempt, refused again
    expect(await received()).toHaveLength(2);
    await setAgent(receiver, { mode: 'refuse-posts', status: 202 });
    await monitor.rounds(5); // 25 s after that: not yet
    expect(await received()).toHaveLength(2);
    await monitor.round(); // 30 s: the third attempt goes through
    expect(await received()).toHaveLength(3);
    await monitor.rounds(20);
    expect(await received()).toHaveLength(3);

    const log = await api.call(`/api/v1/stores/${id}/events?type=alert&limit=10`, { token: 'viewer' });
    const lines = ((await log.json()) as { events: Array<{ message: string }> }).events.map((e) => e.message).reverse();
    expect(lines.filter((l) => !l.startsWith('opened'))).toEqual([
      'open alert "degraded" failed (attempt 1): webhook channel "ops": HTTP 503: refused as told; retrying in 10 s',
      'open alert "degraded" failed (attempt 2): webhook channel "ops": HTTP 503: refused as told; retrying in 30 s',
      'open alert "degraded" delivered to webhook channel "ops" (attempt 3)',
    ]);
  });

  it('gives up at once on an answer that retrying cannot fix, and says so', async () => {
    const { id, receiver, monitor, api, received } = await alerted();
    await setAgent(receiver, { mode: 'refuse-posts', status: 400 });
    await breakStandby(id);
    await monitor.rounds(10);
    expect(await received()).toHaveLength(1);
    const log = await api.call(`/api/v1/stores/${id}/events?type=alert`, { token: 'viewer' });
    const text = JSON.stringify(await log.json());
    expect(text).toContain('given up (not retryable)');
    expect(text).not.toContain(receiverUrl(receiver));
  });

  it('routes by severity: a critical-only route does not get a warning', async () => {
    const { id, monitor, received } = await alerted({ routes: [{ channels: ['ops'], minSeverity: 'critical' }] });
    await breakStandby(id);
    expect((await monitor.rounds(4))?.status).toBe('degraded');
    expect(await received()).toEqual([]);
  });
});
