import { describe, expect, it } from 'vitest';
import { decideSelfFence, keepLease, type SelfFenceInput } from '#shared/lease/self-fence.ts';

const L = 15;
const LMS = L * 1000;
const T = 1_000_000; // an agent monotonic reading, far from zero

const base = (over: Partial<SelfFenceInput> = {}): SelfFenceInput => ({
  now: T,
  epoch: 3,
  enabled: true,
  leaseSeconds: L,
  lease: null,
  standbyReplyAt: null,
  fencedByMonitor: false,
  selfFencedAt: null,
  ...over,
});
const lease = (receivedAt: number, epoch = 3) => ({ epoch, seconds: L, receivedAt });

describe('the primary on a lease alone', () => {
  it('stays writable L − 1 ms after its lease and asks to decide again when it runs out', () => {
    const d = decideSelfFence(base({ lease: lease(T - LMS + 1) }));
    expect(d).toEqual({ action: 'writable', checkAt: T + 1, holding: 'lease' });
  });

  it('fences itself exactly L after its last lease, saying what it lost and for how long', () => {
    const d = decideSelfFence(base({ lease: lease(T - LMS) }));
    expect(d.action).toBe('fence');
    if (d.action !== 'fence') return;
    expect(d.lost).toEqual({ leaseAgeMs: LMS, replyAgeMs: null });
    expect(d.reason).toContain('no lease for 15.0 s');
    expect(d.reason).toContain('no standby reply');
  });

  it('ignores a lease at an older epoch', () => {
    const d = decideSelfFence(base({ lease: lease(T - 1, 2) }));
    expect(d.action).toBe('fence');
  });

  it('fences itself when the agent starts with neither a lease nor a standby reply', () => {
    const d = decideSelfFence(base());
    expect(d.action).toBe('fence');
    if (d.action === 'fence') expect(d.reason).toMatch(/no lease at epoch 3 since the agent started/);
  });
});

describe('the primary with a standby streaming from it', () => {
  it('stays writable on a standby reply L − 1 ms old when its lease ran out long ago (WAN cut)', () => {
    const d = decideSelfFence(base({ lease: lease(T - 10 * LMS), standbyReplyAt: T - LMS + 1 }));
    expect(d).toEqual({ action: 'writable', checkAt: T + 1, holding: 'standby' });
  });

  it('fences itself exactly L after the last standby reply', () => {
    const d = decideSelfFence(base({ lease: lease(T - 10 * LMS), standbyReplyAt: T - LMS }));
    expect(d.action).toBe('fence');
    if (d.action === 'fence') expect(d.lost).toEqual({ leaseAgeMs: 10 * LMS, replyAgeMs: LMS });
  });

  it('decides again when the later of its lease and its standby reply runs out', () => {
    const d = decideSelfFence(base({ lease: lease(T - 1000), standbyReplyAt: T - 5000 }));
    expect(d).toEqual({ action: 'writable', checkAt: T - 1000 + LMS, holding: 'both' });
  });
});

describe('lifting a fence', () => {
  it('lifts its self-fence when a lease at its own epoch arrives after it', () => {
    const d = decideSelfFence(base({ selfFencedAt: T - 5000, lease: lease(T - 10) }));
    expect(d.action).toBe('lift');
  });

  it('keeps its self-fence when the only lease at its epoch arrived before it', () => {
    const d = decideSelfFence(base({ now: T, selfFencedAt: T - 5000, lease: lease(T - 5001) }));
    expect(d).toMatchObject({ action: 'stay-fenced', by: 'self' });
  });

  it('keeps its self-fence when the lease that arrived after it is at an older epoch', () => {
    const d = decideSelfFence(base({ selfFencedAt: T - 5000, lease: lease(T - 10, 2) }));
    expect(d).toMatchObject({ action: 'stay-fenced', by: 'self' });
  });

  it('keeps its self-fence when a standby reconnects and replies (only a lease lifts it)', () => {
    const d = decideSelfFence(base({ selfFencedAt: T - 5000, standbyReplyAt: T - 10 }));
    expect(d).toMatchObject({ action: 'stay-fenced', by: 'self' });
  });

  it('never lifts a fence the monitor sent, even on a fresh lease at its own epoch', () => {
    const d = decideSelfFence(base({ fencedByMonitor: true, lease: lease(T - 10), standbyReplyAt: T - 10 }));
    expect(d).toMatchObject({ action: 'stay-fenced', by: 'monitor' });
  });
});

describe('self-fencing turned off for the store', () => {
  it('stays writable with nothing to wait for', () => {
    expect(decideSelfFence(base({ enabled: false }))).toEqual({
      action: 'writable',
      checkAt: null,
      holding: 'disabled',
    });
  });

  it('lifts a self-fence it still holds', () => {
    expect(decideSelfFence(base({ enabled: false, selfFencedAt: T - 1 })).action).toBe('lift');
  });
});

describe('which lease the agent keeps', () => {
  it('keeps the lease at its epoch when one at an older epoch arrives later', () => {
    expect(keepLease(lease(T - 100), lease(T, 2), 3)).toEqual(lease(T - 100));
  });

  it('takes a newer lease at its epoch', () => {
    expect(keepLease(lease(T - 100), lease(T), 3)).toEqual(lease(T));
  });

  it('keeps nothing from a lease at another epoch', () => {
    expect(keepLease(null, lease(T, 2), 3)).toBeNull();
  });
});
