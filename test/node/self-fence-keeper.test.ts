/**
 * The keeper around the pure self-fence decision, with a fake host and a fake monotonic clock: what
 * it adds (replay refusal, the lease's own L, the startup grace, a promotion counting as a lease,
 * acting at `checkAt` before a slow poll) and that it only ever asks the host for what the decision said.
 */
import { describe, expect, it } from 'vitest';
import type { VerifiedLease } from '#agent/lease/lease-header.ts';
import { type FenceView, type SelfFenceHost, SelfFenceKeeper } from '#agent/lease/self-fence-keeper.ts';

interface Fake {
  host: SelfFenceHost;
  state: Omit<FenceView, 'role'>;
  role: FenceView['role'];
  replyAt: number | null;
  calls: string[];
  clock: { now: number };
}

function fake(epoch = 3): Fake {
  const f: Fake = {
    state: { epoch, fenced: false, selfFenced: false },
    role: 'primary',
    replyAt: null,
    calls: [],
    clock: { now: 0 },
    host: {
      current: () => ({ ...f.state }),
      observe: async () => {
        f.calls.push('observe');
        return { view: { role: f.role, ...f.state }, standbyReplyAt: f.replyAt };
      },
      fenceSelf: async () => {
        f.calls.push('fence');
        if (!f.state.fenced) f.state = { ...f.state, fenced: true, selfFenced: true };
      },
      liftSelfFence: async () => {
        f.calls.push('lift');
        if (f.state.selfFenced) f.state = { ...f.state, fenced: false, selfFenced: false };
      },
    },
  };
  return f;
}

function keeperFor(f: Fake, over: { enabled?: boolean; leaseSeconds?: number } = {}) {
  return new SelfFenceKeeper({
    host: f.host,
    enabled: over.enabled ?? true,
    leaseSeconds: over.leaseSeconds ?? 10,
    pollMs: 1000,
    startupGraceMs: 2000,
    monoNow: () => f.clock.now,
    log: () => undefined,
  });
}

const lease = (epoch: number, seconds: number, timestamp: number, signature = `v1=${timestamp}`): VerifiedLease => ({
  epoch,
  seconds,
  timestamp,
  signature,
});

describe('the self-fence keeper', () => {
  it('does not fence in the startup grace, then fences a primary with neither lease nor reply', async () => {
    const f = fake();
    const k = keeperFor(f);
    expect(await k.tick()).toBeNull();
    f.clock.now = 1000;
    expect(await k.tick()).toBeNull();
    f.clock.now = 2000;
    expect(await k.tick()).toMatchObject({ action: 'fence' });
    expect(f.state).toMatchObject({ fenced: true, selfFenced: true });
  });

  it('holds a primary on standby replies, and fences at checkAt without waiting for another poll', async () => {
    const f = fake();
    const k = keeperFor(f, { leaseSeconds: 10 });
    f.replyAt = 0;
    await k.tick();
    f.clock.now = 2000;
    expect(await k.tick()).toMatchObject({ action: 'writable', holding: 'standby', checkAt: 10_000 });
    f.clock.now = 10_000;
    f.calls.length = 0;
    expect(await k.tick()).toMatchObject({ action: 'fence' });
    expect(f.calls[0]).toBe('fence');
  });

  it('lets a standby reply count only as long as the lease the monitor grants, if shorter than configured', async () => {
    const f = fake();
    const k = keeperFor(f, { leaseSeconds: 10 });
    k.takeLease(lease(2, 4, 100), 'probe'); // an older epoch: not held, but its seconds are the store's L
    f.replyAt = 0;
    await k.tick();
    f.clock.now = 2000;
    expect(await k.tick()).toMatchObject({ action: 'writable', checkAt: 4000 });
  });

  it('ignores a replayed lease and one signed before the newest taken', async () => {
    const f = fake();
    const k = keeperFor(f);
    expect(k.takeLease(lease(3, 5, 100), 'probe')).toBe(true);
    f.clock.now = 4000;
    expect(k.takeLease(lease(3, 5, 100), 'probe')).toBe(false);
    expect(k.takeLease(lease(3, 5, 99, 'v1=other'), 'probe')).toBe(false);
    expect(k.leaseReport(3)).toEqual({ epoch: 3, remainingSeconds: 1 });
    expect(k.takeLease(lease(3, 5, 101), 'probe')).toBe(true);
    expect(k.leaseReport(3)).toEqual({ epoch: 3, remainingSeconds: 5 });
  });

  it('lifts its own fence on a lease at its epoch received after the fence, not on one at an older epoch', async () => {
    const f = fake();
    f.state = { epoch: 3, fenced: true, selfFenced: true }; // restored from the state file
    const k = keeperFor(f);
    expect(await k.tick()).toMatchObject({ action: 'stay-fenced', by: 'self' });
    f.clock.now = 500;
    k.takeLease(lease(2, 10, 100), 'probe');
    expect(await k.tick()).toMatchObject({ action: 'stay-fenced', by: 'self' });
    k.takeLease(lease(3, 10, 101), 'probe');
    f.clock.now = 600;
    expect(await k.tick()).toMatchObject({ action: 'lift' });
    expect(f.state).toMatchObject({ fenced: false, selfFenced: false });
  });

  it("never lifts the monitor's fence, and does not call a fence that arrived after its last poll its own", async () => {
    const f = fake();
    const k = keeperFor(f, { leaseSeconds: 10 });
    f.replyAt = 0;
    await k.tick();
    f.clock.now = 2000;
    await k.tick();
    f.state = { epoch: 4, fenced: true, selfFenced: false }; // the monitor's fence, between polls
    f.clock.now = 10_000;
    k.takeLease(lease(4, 10, 100), 'probe');
    f.calls.length = 0;
    expect(await k.tick()).toMatchObject({ action: 'stay-fenced', by: 'monitor' });
    expect(f.calls).toEqual(['observe']);
  });

  it('counts a promotion it carried out as a lease at the new epoch', async () => {
    const f = fake(4);
    const k = keeperFor(f, { leaseSeconds: 10 });
    await k.tick();
    f.clock.now = 2000;
    k.notePromoted(4);
    expect(await k.tick()).toMatchObject({ action: 'writable', holding: 'lease', checkAt: 12_000 });
  });

  it('with self-fencing off, never fences and lifts a self-fence left from before', async () => {
    const f = fake();
    f.state = { epoch: 3, fenced: true, selfFenced: true };
    const k = keeperFor(f, { enabled: false });
    expect(await k.tick()).toMatchObject({ action: 'lift' });
    f.clock.now = 60_000;
    expect(await k.tick()).toMatchObject({ action: 'writable', holding: 'disabled' });
  });

  it('decides nothing on a standby', async () => {
    const f = fake();
    f.role = 'standby';
    const k = keeperFor(f);
    f.clock.now = 60_000;
    expect(await k.tick()).toBeNull();
    expect(f.calls).toEqual(['observe']);
  });
});
