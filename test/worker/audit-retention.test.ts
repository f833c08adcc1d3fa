import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AUDIT_KEEP_MS, AuditLog } from '#worker/fleet/audit-log.ts';
import { unique } from './support.ts';

const entry = (what: string) =>
  ({ who: 'operator:alice', action: 'maintenance.open', store: 'gz', what, outcome: 'done' }) as const;

describe('audit log retention', () => {
  it('keeps entries for 400 days and prunes older ones when a new one is written', async () => {
    const stub = env.FLEET.get(env.FLEET.idFromName(unique('fleet')));
    const now = Date.UTC(2026, 10, 21);
    const page = await runInDurableObject(stub, (_fleet, state) => {
      const log = new AuditLog(state.storage.sql);
      log.append(entry('older than 400 days'), now - AUDIT_KEEP_MS - 60_000);
      log.append(entry('399 days old'), now - AUDIT_KEEP_MS + 86_400_000);
      log.append(entry('today'), now);
      return log.page(10, null);
    });
    expect(page.entries.map((e) => e.what)).toEqual(['today', '399 days old']);
    expect(page.entries[0]?.at).toBe(new Date(now).toISOString());
  });
});
