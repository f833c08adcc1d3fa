/**
 * Leases and self-fencing under generated schedules (contract section 6), through the discrete-event
 * store of `support/lease-sim.ts` around the real `decideSelfFence`, `nextStandbyEvidence` and
 * `promoteGate`: partitions of any subset of links in either direction, starting and healing at
 * generated times, message delays up to the probe timeout, every host's clock at its own rate in
 * [0.99, 1.01], and the monitor's loss rule (the edge lost the primary for `thresholdSeconds`, the
 * standby reports it lost, the arbiter does not see it when it answers).
 *
 * (a) no promote leaves the monitor while the old primary can still take a write: from the promote's
 *     real send time on the primary is fenced and nothing (no lease in flight, no standby that
 *     reconnects) makes it writable again; so it acknowledges no client write after it;
 * (b) a store that loses only its WAN link never fences itself while its standby streams, and
 *     nothing is promoted;
 * (c) a cut that heals before the threshold promotes nothing, and a primary that fenced itself
 *     during it takes writes again once a lease at its epoch arrives.
 * The mutant suite runs the same schedules against deliberately broken decisions and asserts that
 * each is caught.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DRIFT_STRETCH, SELF_FENCE_APPLY_MS } from '#shared/lease/drift.ts';
import { promoteGate } from '#shared/lease/promote-gate.ts';
import { decideSelfFence } from '#shared/lease/self-fence.ts';
import { nextStandbyEvidence } from '#shared/lease/standby-contact.ts';
import {
  type Cut,
  type LeaseHooks,
  LeaseSim,
  type LeaseWorld,
  LINKS,
  type Link,
  REAL_HOOKS,
  SimViolation,
} from './support/lease-sim.ts';

const S = 1000;
const NEVER = Number.POSITIVE_INFINITY;

const settings = fc
  .record({
    thresholdSeconds: fc.constantFrom(5, 6, 8, 10),
    intervalSeconds: fc.constantFrom(1, 2),
    timeoutMs: fc.constantFrom(250, 500, 1000),
    shrink: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ shrink, ...s }) => {
    let leaseSeconds = Math.max(1, Math.floor(s.thresholdSeconds / 2) - shrink);
    while (leaseSeconds > 1 && leaseSeconds + s.intervalSeconds + s.timeoutMs / S >= s.thresholdSeconds) leaseSeconds--;
    return { ...s, leaseSeconds };
  });

// The extremes are where the drift stretch matters, so they come up three times in four.
const rate = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0.99, 1.01) },
  fc.double({ min: 0.99, max: 1.01, noNaN: true }),
);
const rates = fc.record({ monitor: rate, primary: rate, standby: rate, arbiter: rate });
/** A link's largest delay as a share of the probe timeout: none and the whole timeout most often. */
const share = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1) }, fc.double({ min: 0, max: 1, noNaN: true }));
const shares = fc.tuple(...LINKS.map(() => share));
const dir = fc.constantFrom<Cut['dir']>('both', 'both', 'fwd', 'back');
const seconds = (min: number, max: number) => fc.integer({ min: min * 10, max: max * 10 }).map((d) => d * 100);

const extraCut = fc.record({
  link: fc.constantFrom(...LINKS),
  dir,
  from: seconds(0, 40),
  length: fc.oneof(seconds(0.5, 20), fc.constant(NEVER)),
});

/** The shapes of trouble that matter here, each with generated times; `random` leaves it to the extra cuts. */
const scenario = fc.oneof(
  // The primary cut off from the edge, its standby and the arbiter, still reached by its clients.
  fc.record({
    kind: fc.constant('isolate' as const),
    at: seconds(2, 20),
    length: fc.oneof(seconds(1, 60), fc.constant(NEVER)),
  }),
  // Leases still reach it but its answers do not; its WAL stream breaks one way or both. Often the
  // way in goes too, about when the monitor decides: the last leases land, the fence does not.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('asymmetric' as const),
      at: seconds(2, 20),
      repl: dir,
      inwardAfterThreshold: fc.option(seconds(-1, 2), { nil: null }),
    }),
  },
  // The WAN link goes first; the standby's stream breaks long after the threshold is met.
  fc.record({
    kind: fc.constant('wan-then-stream' as const),
    at: seconds(2, 15),
    after: seconds(5, 25),
    repl: dir,
    length: fc.oneof(seconds(0.5, 10), fc.constant(NEVER)),
  }),
  // WAN cut, then a stream that breaks, reconnects and breaks again.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flap' as const),
      at: seconds(2, 15),
      after: seconds(5, 20),
      pieces: fc.array(fc.record({ down: seconds(0.3, 6), up: seconds(0.1, 0.6) }), { minLength: 1, maxLength: 4 }),
    }),
  },
  fc.record({ kind: fc.constant('random' as const) }),
);

const general = fc.record({
  settings,
  rates,
  shares,
  scenario,
  extra: fc.array(extraCut, { maxLength: 3 }),
  leasePolicy: fc.constantFrom<LeaseWorld['leasePolicy']>('every-probe', 'while-answering'),
  receiverTimeoutMs: fc.constantFrom(500, 1200),
  seed: fc.integer(),
});
type General = typeof general extends fc.Arbitrary<infer T> ? T : never;

const cut = (link: Link, d: Cut['dir'], from: number, length: number): Cut => ({
  link,
  dir: d,
  from,
  to: from + length,
});

function scenarioCuts(sc: General['scenario'], thresholdSeconds: number): Cut[] {
  switch (sc.kind) {
    case 'isolate':
      return (['edgeP', 'repl', 'arbP'] as const).map((l) => cut(l, 'both', sc.at, sc.length));
    case 'asymmetric': {
      const cuts = [
        cut('edgeP', 'back', sc.at, NEVER),
        cut('repl', sc.repl, sc.at, NEVER),
        cut('arbP', 'both', sc.at, NEVER),
      ];
      const inward = sc.inwardAfterThreshold;
      if (inward !== null) cuts.push(cut('edgeP', 'fwd', sc.at + thresholdSeconds * S + inward, NEVER));
      return cuts;
    }
    case 'wan-then-stream':
      return [
        cut('edgeP', 'both', sc.at, NEVER),
        cut('edgeA', 'both', sc.at, NEVER),
        cut('repl', sc.repl, sc.at + sc.after, sc.length),
      ];
    case 'flap': {
      const cuts = [cut('edgeP', 'both', sc.at, NEVER), cut('edgeA', 'both', sc.at, NEVER)];
      let t = sc.at + sc.after;
      for (const piece of sc.pieces) {
        cuts.push(cut('repl', 'both', t, piece.down));
        t += piece.down + piece.up;
      }
      cuts.push(cut('repl', 'both', t, NEVER));
      return cuts;
    }
    case 'random':
      return [];
  }
}

function world(
  s: Pick<General, 'settings' | 'rates' | 'shares' | 'leasePolicy' | 'receiverTimeoutMs' | 'seed'>,
  cuts: Cut[],
  horizonMs: number,
): LeaseWorld {
  const maxDelay = Object.fromEntries(LINKS.map((l, i) => [l, (s.shares[i] ?? 0) * s.settings.timeoutMs])) as Record<
    Link,
    number
  >;
  const { leasePolicy, receiverTimeoutMs, seed } = s;
  return { ...s.settings, rates: s.rates, maxDelay, cuts, leasePolicy, receiverTimeoutMs, seed, horizonMs };
}

function generalWorld(g: General): LeaseWorld {
  const cuts = [
    ...scenarioCuts(g.scenario, g.settings.thresholdSeconds),
    ...g.extra.map((c) => cut(c.link, c.dir, c.from, c.length)),
  ];
  const lastStart = Math.max(0, ...cuts.map((c) => c.from), ...cuts.map((c) => (c.to === NEVER ? 0 : c.to)));
  return world(g, cuts, lastStart + (2 * g.settings.thresholdSeconds + 20) * S);
}

/** (a): throws when the primary could take a write at or after the promote's send time. */
function checkNoWriteAfterPromote(sim: LeaseSim): void {
  const t = sim.promoteSentAt;
  if (t === null) return;
  if (sim.writableAfter(t) || sim.ackedAfterPromote > 0) {
    throw new SimViolation(
      `promote sent at ${(t / S).toFixed(3)} s while the old primary could still take writes ` +
        `(writability: ${sim.writable.map((c) => `${(c.at / S).toFixed(3)}=${c.writable}`).join(' ')}; ` +
        `${sim.ackedAfterPromote} writes acknowledged after it)`,
    );
  }
}

function playGeneral(g: General, hooks: LeaseHooks = REAL_HOOKS): LeaseSim {
  const sim = new LeaseSim(generalWorld(g), hooks).run();
  checkNoWriteAfterPromote(sim);
  return sim;
}

// (b) The WAN link alone: edge to the primary and the arbiter cut, the standby too or not; the
// store's own links (replication on its LAN, clients, arbiter) up, WAL replies within 100 ms.
const wanOnly = fc.record({
  settings,
  rates,
  shares,
  leasePolicy: fc.constantFrom<LeaseWorld['leasePolicy']>('every-probe', 'while-answering'),
  receiverTimeoutMs: fc.constantFrom(500, 1200),
  seed: fc.integer(),
  at: seconds(1, 20),
  length: fc.oneof(seconds(1, 60), fc.constant(NEVER)),
  standbyToo: fc.boolean(),
  arbiterCut: fc.boolean(),
});
type WanOnly = typeof wanOnly extends fc.Arbitrary<infer T> ? T : never;

function playWanOnly(c: WanOnly, hooks: LeaseHooks = REAL_HOOKS): LeaseSim {
  const cuts = [cut('edgeP', 'both', c.at, c.length), cut('edgeA', 'both', c.at, c.length)];
  if (c.standbyToo) cuts.push(cut('edgeS', 'both', c.at, c.length));
  if (c.arbiterCut) cuts.push(cut('arbP', 'both', c.at, NEVER));
  const w = world(c, cuts, c.at + 40 * S);
  w.maxDelay.repl = Math.min(w.maxDelay.repl, 100);
  const sim = new LeaseSim(w, hooks).run();
  checkNoWriteAfterPromote(sim);
  if (sim.selfFences > 0)
    throw new SimViolation('a store that lost only its WAN link fenced itself while its standby streamed');
  if (sim.promoteSentAt !== null) throw new SimViolation('a store that lost only its WAN link was failed over');
  return sim;
}

// (c) A cut of the primary (and perhaps its stream and the standby's edge link) that heals well
// before the threshold: the longest cut still leaves the monitor's loss, measured from its first
// failed probe to its first answered one, short of the threshold.
const shortCut = fc.record({
  settings: settings.filter((s) => s.thresholdSeconds >= 8),
  rates,
  shares,
  leasePolicy: fc.constantFrom<LeaseWorld['leasePolicy']>('every-probe', 'while-answering'),
  receiverTimeoutMs: fc.constantFrom(500, 1200),
  seed: fc.integer(),
  at: seconds(1, 20),
  share: fc.double({ min: 0.1, max: 1, noNaN: true }),
  stream: fc.boolean(),
  standbyEdge: fc.boolean(),
});
type ShortCut = typeof shortCut extends fc.Arbitrary<infer T> ? T : never;

function playShortCut(c: ShortCut, hooks: LeaseHooks = REAL_HOOKS): LeaseSim {
  const longest = c.settings.thresholdSeconds * S - 3 * S - 2 * c.settings.timeoutMs;
  const length = Math.round(c.share * longest);
  const cuts = [cut('edgeP', 'both', c.at, length)];
  if (c.stream) cuts.push(cut('repl', 'both', c.at, length));
  if (c.standbyEdge) cuts.push(cut('edgeS', 'both', c.at, length));
  const w = world(c, cuts, c.at + length + 4 * c.settings.intervalSeconds * S + 5 * S);
  // Once healed, the edge's probes must answer within the timeout, or the loss would go on for real.
  for (const l of ['edgeP', 'edgeS', 'edgeA'] as const)
    w.maxDelay[l] = Math.min(w.maxDelay[l], 0.45 * c.settings.timeoutMs);
  const sim = new LeaseSim(w, hooks).run();
  checkNoWriteAfterPromote(sim);
  if (sim.promoteSentAt !== null) throw new SimViolation('a cut that healed before the threshold was failed over');
  if (!sim.writableAtEnd) throw new SimViolation('the primary did not take writes again once the cut healed');
  return sim;
}

describe('leases and self-fencing under generated schedules', () => {
  it('never promotes while the old primary can still take a write (6,000 schedules)', { timeout: 60_000 }, () => {
    const seen = { promoted: 0, selfFenced: 0, isolate: 0, asymmetric: 0, 'wan-then-stream': 0, flap: 0, random: 0 };
    fc.assert(
      fc.property(general, (g) => {
        const sim = playGeneral(g);
        if (sim.selfFences > 0) seen.selfFenced += 1;
        if (sim.promoteSentAt === null) return;
        seen.promoted += 1;
        seen[g.scenario.kind] += 1;
      }),
      { numRuns: 6_000 },
    );
    // Non-vacuous: failovers happen after every shape of trouble. (Typical counts per 6,000: 4,170
    // promoted, 5,000 with a self-fence; promoted after an isolation 520, an asymmetric cut 1,450,
    // a late stream break 350, a flapping stream 1,820.)
    expect(seen.promoted).toBeGreaterThan(2000);
    expect(seen.selfFenced).toBeGreaterThan(2500);
    expect(seen.isolate).toBeGreaterThan(150);
    expect(seen.asymmetric).toBeGreaterThan(500);
    expect(seen['wan-then-stream']).toBeGreaterThan(120);
    expect(seen.flap).toBeGreaterThan(500);
  });

  it('never fences a store that lost only its WAN link while its standby streams (2,000 schedules)', () => {
    fc.assert(
      fc.property(wanOnly, (c) => {
        playWanOnly(c);
      }),
      { numRuns: 2_000 },
    );
  });

  it('promotes nothing when a cut heals before the threshold, and the primary lifts its self-fence (2,000 schedules)', () => {
    let lifted = 0;
    fc.assert(
      fc.property(shortCut, (c) => {
        const sim = playShortCut(c);
        if (sim.lifts > 0) lifted += 1;
      }),
      { numRuns: 2_000 },
    );
    expect(lifted).toBeGreaterThan(200); // typically 370 of 2,000 fence themselves during the cut and lift it
  });
});

/** Runs one family of schedules against `hooks` until the first failure: did it fail, and with what. */
type Play = (hooks: LeaseHooks) => { failed: boolean; error: unknown };
// A fixed seed keeps the mutant suite deterministic. Over random seeds each mutant is caught too, most
// within a few hundred schedules; the rarest, the missing drift stretch (it needs extreme rates, the
// longest delays and a lost fence together), after about 2,700 on average and 11,500 at worst in 12 seeds.
const MUTANT_RUNS = { numRuns: 20_000, endOnFailure: true, seed: 2 };
const outcome = (d: { failed: boolean; errorInstance: unknown }) => ({ failed: d.failed, error: d.errorInstance });
const anyGeneral: Play = (hooks) =>
  outcome(
    fc.check(
      fc.property(general, (g) => void playGeneral(g, hooks)),
      MUTANT_RUNS,
    ),
  );
const anyWanOnly: Play = (hooks) =>
  outcome(
    fc.check(
      fc.property(wanOnly, (c) => void playWanOnly(c, hooks)),
      MUTANT_RUNS,
    ),
  );
const anyShortCut: Play = (hooks) =>
  outcome(
    fc.check(
      fc.property(shortCut, (c) => void playShortCut(c, hooks)),
      MUTANT_RUNS,
    ),
  );

const decide = (f: (d: typeof decideSelfFence) => typeof decideSelfFence): LeaseHooks => ({
  ...REAL_HOOKS,
  decide: f(decideSelfFence),
});

/** Deliberately broken decisions: the same schedules must catch each one. */
const MUTANTS: Array<{ who: 'monitor' | 'primary'; name: string; hooks: LeaseHooks; play: Play; caught: RegExp }> = [
  {
    who: 'monitor',
    name: 'promotes on the threshold alone, ignoring the lease',
    hooks: { ...REAL_HOOKS, gate: () => ({ open: true, reason: 'mutant' }) },
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'monitor',
    name: 'waits for the lease without the clock-drift stretch',
    hooks: {
      ...REAL_HOOKS,
      gate: (i) =>
        promoteGate({ ...i, leaseSeconds: i.leaseSeconds / DRIFT_STRETCH, timeoutMs: i.timeoutMs / DRIFT_STRETCH }),
      evidence: (prev, p) =>
        nextStandbyEvidence(prev, {
          ...p,
          replication: p.replication && {
            ...p.replication,
            primaryContactAgeSeconds: (p.replication.primaryContactAgeSeconds ?? 0) * DRIFT_STRETCH,
          },
        }),
    },
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'monitor',
    name: 'does not leave the primary time to apply its self-fence',
    hooks: { ...REAL_HOOKS, gate: (i) => promoteGate({ ...i, timeoutMs: i.timeoutMs - SELF_FENCE_APPLY_MS }) },
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'monitor',
    name: 'does not wait for the standby to have lost the primary',
    hooks: { ...REAL_HOOKS, gate: (i) => promoteGate({ ...i, standbys: [] }) },
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'monitor',
    name: 'counts the standby silent from its first "disconnected" report (fooled by a flap)',
    hooks: {
      ...REAL_HOOKS,
      evidence: (prev, p) =>
        nextStandbyEvidence(prev, {
          ...p,
          replication: p.replication && {
            state: p.replication.state,
            primaryReachable: p.replication.primaryReachable,
          },
        }),
    },
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'primary',
    name: 'ignores the freshness of standby replies (a standby once seen streams forever)',
    hooks: decide((d) => (i) => d({ ...i, standbyReplyAt: i.standbyReplyAt === null ? null : i.now })),
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'primary',
    name: 'counts an open replication connection as streaming (60 s wal_sender_timeout)',
    hooks: decide(
      (d) => (i) =>
        d({
          ...i,
          standbyReplyAt: i.standbyReplyAt !== null && i.now - i.standbyReplyAt < 60_000 ? i.now : i.standbyReplyAt,
        }),
    ),
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'primary',
    name: 'lets a standby that reconnects lift a self-fence',
    hooks: decide((d) => (i) => {
      const r = i.standbyReplyAt;
      if (i.selfFencedAt !== null && r !== null && r > i.selfFencedAt && i.now < r + i.leaseSeconds * S) {
        return d({ ...i, selfFencedAt: null });
      }
      return d(i);
    }),
    play: anyGeneral,
    caught: /could still take writes/,
  },
  {
    who: 'primary',
    name: 'ignores its standby and counts leases only',
    hooks: decide((d) => (i) => d({ ...i, standbyReplyAt: null })),
    play: anyWanOnly,
    caught: /lost only its WAN link fenced itself/,
  },
  {
    who: 'primary',
    name: 'never lifts a self-fence',
    hooks: decide((d) => (i) => {
      const out = d(i);
      return out.action === 'lift' ? { action: 'stay-fenced', by: 'self', reason: 'mutant' } : out;
    }),
    play: anyShortCut,
    caught: /did not take writes again/,
  },
];

describe('the lease properties can fail', () => {
  for (const m of MUTANTS) {
    it(`catches a ${m.who} that ${m.name}`, { timeout: 60_000 }, () => {
      const { failed, error } = m.play(m.hooks);
      expect(failed).toBe(true);
      expect(error).toBeInstanceOf(SimViolation);
      expect(String(error)).toMatch(m.caught);
    });
  }
});
