import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIFT_STRETCH, RATE_MAX, RATE_MIN, renewalWaitMs } from '#shared/lease/drift.ts';
import { type PromoteGateInput, promoteGate } from '#shared/lease/promote-gate.ts';
import {
  nextStandbyEvidence,
  pushSentAt,
  type ReplicationView,
  type StandbyEvidence,
} from '#shared/lease/standby-contact.ts';

const L = 15;
const D = 2000;
const W = renewalWaitMs(L, D);
const T = Date.UTC(2026, 11, 2, 10, 0, 0);

const lost = (ageSeconds?: number): ReplicationView => ({
  state: 'disconnected',
  primaryReachable: false,
  ...(ageSeconds === undefined ? {} : { primaryContactAgeSeconds: ageSeconds }),
});
const streaming: ReplicationView = { state: 'streaming', primaryReachable: true, primaryContactAgeSeconds: 0 };

const gate = (over: Partial<PromoteGateInput>) =>
  promoteGate({
    now: T,
    oldPrimary: 'st-a',
    leaseSeconds: L,
    timeoutMs: D,
    selfFence: true,
    lastLeaseSentAt: null,
    fenceAcceptedAt: null,
    standbys: [],
    ...over,
  });
const only = (evidence: StandbyEvidence | null) => [{ node: 'st-b', evidence }];
/** Evidence from one answered probe of the standby, sent at `sentAt` and answered 50 ms later. */
const probed = (sentAt: number, replication: ReplicationView, prev: StandbyEvidence | null = null) =>
  nextStandbyEvidence(prev, { sentAt, receivedAt: sentAt + 50, replication });

describe('the clock-drift stretch', () => {
  it('outlasts any renewal, whatever the delay up to the timeout and the rates within ±1 %', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 100, max: 30_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: RATE_MIN, max: RATE_MAX, noNaN: true }),
        fc.double({ min: RATE_MIN, max: RATE_MAX, noNaN: true }),
        (leaseSeconds, timeoutMs, delayShare, monitorRate, primaryRate) => {
          // Real ms: the renewal lands after its delay and lasts L on the primary's clock.
          const lapse = delayShare * timeoutMs + (leaseSeconds * 1000) / primaryRate;
          // The monitor's wait, in real ms.
          const wait = renewalWaitMs(leaseSeconds, timeoutMs) / monitorRate;
          expect(wait).toBeGreaterThanOrEqual(lapse);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('is the ratio of the fastest clock to the slowest', () => {
    expect(DRIFT_STRETCH).toBeCloseTo(1.01 / 0.99, 12);
  });
});

describe('the lease path', () => {
  const standbyLostLongAgo = (sentAt: number) => only(probed(sentAt, lost(3600)));

  it('stays shut 1 ms before the last lease plus the probe timeout, stretched, has run out', () => {
    const g = gate({ now: T + W - 1, lastLeaseSentAt: T, standbys: standbyLostLongAgo(T + W - 60) });
    expect(g).toMatchObject({ open: false, notBefore: T + W });
    if (!g.open) expect(g.reason).toMatch(/st-a may hold its last lease/);
  });

  it('opens once it has, given a standby report made after that moment', () => {
    expect(gate({ now: T + W + 50, lastLeaseSentAt: T, standbys: standbyLostLongAgo(T + W) }).open).toBe(true);
  });

  it('waits for a standby report made after the lease ran out: the standby might have reconnected before', () => {
    const g = gate({ now: T + W + 5000, lastLeaseSentAt: T, standbys: standbyLostLongAgo(T + W - 1) });
    expect(g).toMatchObject({ open: false, notBefore: T + W });
    if (!g.open) expect(g.reason).toMatch(/waiting for a report from st-b made after/);
  });

  it('opens at once when the old primary accepted its fence', () => {
    expect(gate({ lastLeaseSentAt: T, fenceAcceptedAt: T, standbys: only(null) }).open).toBe(true);
  });
});

describe('the standby path', () => {
  it('waits L + timeout, stretched, after a standby that streamed from a primary the edge lost long ago stops', () => {
    // The WAN went an hour ago; the stream broke 1 s before this report.
    const ev = probed(T, lost(1));
    const lastContact = T + 50 - 1000 / DRIFT_STRETCH;
    const g = gate({ now: T + 60, lastLeaseSentAt: T - 3_600_000, standbys: only(ev) });
    expect(g.open).toBe(false);
    if (!g.open) {
      expect(g.notBefore).toBeGreaterThanOrEqual(lastContact + W);
      expect(g.reason).toMatch(/kept writable by a standby's replies/);
    }
    const later = probed(g.open ? T : g.notBefore, lost(1 + W / 1000), ev);
    expect(gate({ now: T + W + 1000, lastLeaseSentAt: T - 3_600_000, standbys: only(later) }).open).toBe(true);
  });

  it('is not fooled by a stream that broke, reconnected and broke again between two probes', () => {
    const first = probed(T, lost(30));
    // One second later the standby says it lost the primary again, but only 0.2 s ago: it reconnected in between.
    const second = probed(T + 1000, lost(0.2), first);
    const g = gate({ now: T + 1100, lastLeaseSentAt: T - 3_600_000, standbys: only(second) });
    expect(g.open).toBe(false);
    if (!g.open) expect(g.notBefore).toBeGreaterThan(T + 1000 + W - 300);
  });

  it('stays shut while the standby streams', () => {
    const g = gate({ now: T + 100, lastLeaseSentAt: T - 3_600_000, standbys: only(probed(T, streaming)) });
    expect(g.open).toBe(false);
  });

  it('stays shut, naming it, while a standby has never answered: it may be the one streaming from the old primary', () => {
    const g = gate({
      now: T + 3_600_000,
      lastLeaseSentAt: T,
      standbys: [
        { node: 'st-b', evidence: probed(T + 3_590_000, lost(3600)) },
        { node: 'st-c', evidence: null },
      ],
    });
    expect(g.open).toBe(false);
    if (!g.open) expect(g.reason).toMatch(/no report yet from st-c/);
  });
});

describe('self-fencing turned off', () => {
  it('opens on the threshold alone and says what that risks', () => {
    const g = gate({ selfFence: false, lastLeaseSentAt: T, standbys: only(null) });
    expect(g.open).toBe(true);
    expect(g.reason).toMatch(/self-fencing is off for this store/);
  });
});

describe('what a standby report proves', () => {
  it('bounds the last contact by the report minus its age, shrunk for clock drift', () => {
    const ev = nextStandbyEvidence(null, { sentAt: T, receivedAt: T + 100, replication: lost(10) });
    expect(ev).toEqual({ contactEnd: Math.ceil(T + 100 - 10_000 / DRIFT_STRETCH), silentUntil: T, lostRunSince: null });
  });

  it('keeps what it knew when a probe of the standby fails', () => {
    const ev = probed(T, lost(10));
    expect(nextStandbyEvidence(ev, { sentAt: T + 1000, receivedAt: T + 3000, replication: null })).toEqual(ev);
  });

  it('treats a report without a replication section as a standby in contact', () => {
    const ev = nextStandbyEvidence(null, { sentAt: T, receivedAt: T + 100, replication: undefined });
    expect(ev).toEqual({ contactEnd: T + 100, silentUntil: T, lostRunSince: null });
  });

  it('without primaryContactAgeSeconds, counts from the first "disconnected" report of an unbroken run', () => {
    const a = probed(T, lost());
    const b = probed(T + 1000, lost(), a);
    expect(b).toEqual({ contactEnd: T + 50, silentUntil: T + 1000, lostRunSince: T + 50 });
    const failed = nextStandbyEvidence(b, { sentAt: T + 2000, receivedAt: T + 4000, replication: null });
    const c = probed(T + 5000, lost(), failed);
    expect(c?.contactEnd).toBe(T + 5050);
  });

  it('dates a pushed report no later than its receipt minus the timeout, stretched', () => {
    expect(pushSentAt(T, D)).toBe(T - Math.ceil(RATE_MAX * D));
  });
});
