import { describe, expect, it } from 'vitest';
import { checkLeaseConfig, defaultLeaseSeconds, LeasePolicyFields } from '#shared/lease/lease-config.ts';
import { leaseFor } from '#shared/lease/lease-grant.ts';

const defaults = { thresholdSeconds: 30, intervalSeconds: 5, timeoutMs: 2000 };

describe('the lease settings of a store', () => {
  it('default the lease to half the threshold, rounded down', () => {
    expect(defaultLeaseSeconds(30)).toBe(15);
    expect(defaultLeaseSeconds(31)).toBe(15);
    expect(defaultLeaseSeconds(3)).toBe(1);
  });

  it('accept the defaults (15 + 5 + 2 < 30) with self-fencing on', () => {
    expect(checkLeaseConfig(defaults)).toEqual({ ok: true, leaseSeconds: 15, selfFence: true });
  });

  it('reject a lease that reaches the threshold exactly with the interval and timeout, naming the field', () => {
    const r = checkLeaseConfig({ ...defaults, leaseSeconds: 23 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.path).toBe('failover.leaseSeconds');
    expect(r.problems[0]?.message).toMatch(/= 30 must be below thresholdSeconds \(30\)/);
  });

  it('accept a lease one second shorter than that', () => {
    expect(checkLeaseConfig({ ...defaults, leaseSeconds: 22 }).ok).toBe(true);
  });

  it('reject the default lease when the threshold is too short for it, saying it is the default', () => {
    const r = checkLeaseConfig({ thresholdSeconds: 10, intervalSeconds: 5, timeoutMs: 2000 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]?.message).toMatch(/leaseSeconds \(5, the default\)/);
  });

  it('apply the rule when self-fencing is off too (the contract states it without condition)', () => {
    expect(checkLeaseConfig({ thresholdSeconds: 10, intervalSeconds: 5, timeoutMs: 2000, selfFence: false }).ok).toBe(
      false,
    );
    expect(
      checkLeaseConfig({
        thresholdSeconds: 10,
        intervalSeconds: 5,
        timeoutMs: 2000,
        leaseSeconds: 2,
        selfFence: false,
      }),
    ).toEqual({ ok: true, leaseSeconds: 2, selfFence: false });
  });

  it('parse leaseSeconds as a whole number of seconds from 1', () => {
    expect(LeasePolicyFields.leaseSeconds.safeParse(0).success).toBe(false);
    expect(LeasePolicyFields.leaseSeconds.safeParse(1.5).success).toBe(false);
    expect(LeasePolicyFields.leaseSeconds.safeParse(15).success).toBe(true);
    expect(LeasePolicyFields.selfFence.safeParse('no').success).toBe(false);
  });
});

describe('which probe carries a lease', () => {
  const held = { heldPrimary: 'st-a', epoch: 4, leaseSeconds: 15, selfFence: true, failoverInFlight: false };

  it('the held primary gets a lease at the store epoch', () => {
    expect(leaseFor({ ...held, node: 'st-a' })).toEqual({ epoch: 4, seconds: 15 });
  });

  it('no other node ever does', () => {
    expect(leaseFor({ ...held, node: 'st-b' })).toBeNull();
    expect(leaseFor({ ...held, heldPrimary: null, node: 'st-a' })).toBeNull();
  });

  it('none once a failover away from it is decided, nor with self-fencing off', () => {
    expect(leaseFor({ ...held, node: 'st-a', failoverInFlight: true })).toBeNull();
    expect(leaseFor({ ...held, node: 'st-a', selfFence: false })).toBeNull();
  });
});
