/**
 * Fault schedules against the real classify + failover machine, through the simulated store in
 * `support/failover-sim.ts`, which checks on every transition: one promote key per epoch, the record
 * and epoch persisted before any send, no decision while the store is unreachable, in a split brain,
 * during maintenance or the startup grace, no decision without the lag guard (unless an operator
 * allowed data loss on a down primary), no failover inside the cooldown or a second automatic one
 * within 6 h, no second failover while one is in flight, epochs only going up, completions only when
 * the target really is primary; no promote in a switchover before the old primary accepted its
 * fence, no lag guard waived by a hook, no store epoch the monitor did not issue after first contact,
 * no stale-primary fence while no node serves at the store epoch; and, once the faults stop, every
 * failover ends with its record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { initialState, transition } from '#shared/failover/machine.ts';
import { remember } from '#shared/monitor/known-primary.ts';
import {
  type MonitorParts,
  type NetMode,
  type PromoteBehaviour,
  Sim,
  type SimNodeSpec,
  SimViolation,
} from './support/failover-sim.ts';

const FAULTS = [
  'crashPrimary',
  'crashPrimary',
  'recoverAll',
  'flapA',
  'wanDown',
  'wanUp',
  'standbyDown',
  'standbyUp',
  'arbiterDown',
  'arbiterUp',
  'lagSpike',
  'lagNormal',
  'isolatePrimary',
  'heal',
  'edgeCutPrimary',
  'edgeHeal',
  'primaryDbDown',
  'dbUp',
  'maintenanceOn',
  'maintenanceOff',
  'rogueEpoch',
  'rebuild',
  // The active IP stays on st-a (contract section 8: a failover completes only once it follows).
  'vipStuck',
  'vipFollows',
] as const;
type Fault = (typeof FAULTS)[number];

const NET: NetMode[] = ['ok', 'ok', 'ok', 'dropRequest', 'loseAnswer', 'late', 'duplicate'];
const PROMOTE: PromoteBehaviour[] = ['fast', 'fast', 'slow', 'tooLate', 'never', 'refuse'];

const step = fc.record({
  faults: fc.array(fc.constantFrom(...FAULTS), { maxLength: 2 }),
  seconds: fc.integer({ min: 1, max: 6 }),
  net: fc.constantFrom(...NET),
  restart: fc.constantFrom(null, null, null, null, 'between', 'fence', 'promote'),
  request: fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    {
      arbitrary: fc.record({
        source: fc.constantFrom('operator', 'hook'),
        target: fc.constantFrom(undefined, undefined, 'st-a', 'st-b', 'st-c', 'st-z'),
        allowDataLoss: fc.boolean(),
      }),
      weight: 1,
    },
  ),
});

const schedule = fc.record({
  mode: fc.constantFrom('auto', 'auto', 'manual', 'off'),
  arbiter: fc.boolean(),
  third: fc.constantFrom(null, 0, 30),
  lagB: fc.constantFrom(0.5, 4, 12),
  maxLagSeconds: fc.constantFrom(5, 30),
  cooldownSeconds: fc.constantFrom(0, 10, 30, 3600),
  thresholdSeconds: fc.constantFrom(3, 5),
  promoteTimeoutSeconds: fc.constantFrom(5, 15),
  promote: fc.constantFrom(...PROMOTE),
  steps: fc.array(step, { minLength: 1, maxLength: 10 }),
});
type Schedule = typeof schedule extends fc.Arbitrary<infer T> ? T : never;

function applyFault(sim: Sim, fault: Fault, lagB: number): void {
  const primary = sim.upstream();
  const standby = sim.node('st-b');
  switch (fault) {
    case 'crashPrimary':
      if (primary) primary.up = false;
      break;
    case 'recoverAll':
      for (const n of sim.nodes) n.up = true;
      break;
    case 'flapA':
      sim.node('st-a').up = !sim.node('st-a').up;
      break;
    case 'wanDown':
      sim.wanDown = true;
      break;
    case 'wanUp':
      sim.wanDown = false;
      break;
    case 'standbyDown':
      standby.up = false;
      break;
    case 'standbyUp':
      standby.up = true;
      break;
    case 'arbiterDown':
      sim.arbiterUp = false;
      break;
    case 'arbiterUp':
      sim.arbiterUp = true;
      break;
    case 'lagSpike':
      standby.lag = 45;
      break;
    case 'lagNormal':
      standby.lag = lagB;
      break;
    case 'isolatePrimary':
      if (primary) primary.isolated = true;
      break;
    case 'heal':
      for (const n of sim.nodes) n.isolated = false;
      break;
    case 'edgeCutPrimary':
      if (primary) primary.edgeCut = true;
      break;
    case 'edgeHeal':
      for (const n of sim.nodes) n.edgeCut = false;
      break;
    case 'primaryDbDown':
      if (primary) primary.dbHealthy = false;
      break;
    case 'dbUp':
      for (const n of sim.nodes) n.dbHealthy = true;
      break;
    case 'maintenanceOn':
      sim.maintenance = true;
      break;
    case 'maintenanceOff':
      sim.maintenance = false;
      break;
    case 'rogueEpoch':
      // A node follows an epoch the monitor never issued (a hand-made promotion, a bug).
      standby.epoch += 5;
      break;
    case 'vipStuck':
      sim.vipPinned = 'st-a';
      break;
    case 'vipFollows':
      sim.vipPinned = null;
      break;
    case 'rebuild':
      // The cluster is rebuilt (or the demo's simulator restarted): fresh epochs, st-a primary again.
      for (const n of sim.nodes) {
        Object.assign(n, { up: true, epoch: 1, fenced: false, promoteAt: null, acceptedKeys: [], promoted: false });
        n.role = n.id === 'st-a' ? 'primary' : 'standby';
      }
      break;
  }
}

function build(s: Schedule, machine: typeof transition, parts: MonitorParts = {}): Sim {
  const nodes: SimNodeSpec[] = [
    { id: 'st-a', priority: 100, role: 'primary' },
    { id: 'st-b', priority: 50, role: 'standby', lag: s.lagB },
  ];
  if (s.third !== null) nodes.push({ id: 'st-c', priority: s.third, role: 'standby', lag: 2 });
  return new Sim(
    {
      mode: s.mode,
      arbiter: s.arbiter,
      nodes,
      promote: s.promote,
      policy: {
        thresholdSeconds: s.thresholdSeconds,
        maxLagSeconds: s.maxLagSeconds,
        cooldownSeconds: s.cooldownSeconds,
        promoteTimeoutSeconds: s.promoteTimeoutSeconds,
        confirmTimeoutSeconds: 10,
      },
    },
    initialState(),
    machine,
    parts,
  );
}

/** Runs one schedule to quiescence; the simulator throws on any violated invariant. */
function play(s: Schedule, machine: typeof transition = transition, parts: MonitorParts = {}): Sim {
  const sim = build(s, machine, parts);
  sim.run(5);
  for (const st of s.steps) {
    if (st.restart === 'between') sim.restart();
    else if (st.restart) sim.crashAt = st.restart;
    for (const f of st.faults) applyFault(sim, f, s.lagB);
    sim.net = st.net;
    sim.run(st.seconds);
    if (st.request)
      sim.tryRequest({ ...st.request, requestedBy: `${st.request.source}:prop`, reason: 'property test' });
  }
  sim.settle();
  return sim;
}

describe('failover under generated fault schedules', () => {
  // About 3 s on a 2-core machine; the limit leaves room for slow CI runners, not for retries.
  it('keeps every safety invariant and ends every failover (10,000 schedules)', { timeout: 60_000 }, () => {
    const seen = {
      switchovers: 0,
      staleFences: 0,
      regressions: 0,
      decided: 0,
      auto: 0,
      completed: 0,
      failed: 0,
      aborted: 0,
      dataLoss: 0,
      restarts: 0,
      midFailover: 0,
    };
    fc.assert(
      fc.property(schedule, (s) => {
        const sim = play(s);
        seen.decided += sim.decisions.length;
        seen.switchovers += sim.decisions.filter(
          (d) => d.event.type === 'request' && d.event.classification.primaryServing,
        ).length;
        seen.staleFences += sim.staleFences;
        seen.regressions += sim.regressionRounds > 0 ? 1 : 0;
        seen.auto += sim.decisions.filter((d) => d.record.mode === 'auto').length;
        seen.midFailover += sim.log.filter((l) => l.event.type === 'restarted' && l.effects.length > 0).length;
        seen.dataLoss += sim.decisions.filter((d) => d.record.dataLossAllowed).length;
        seen.restarts += sim.log.filter((l) => l.event.type === 'restarted').length;
        for (const r of sim.records.values()) {
          if (r.state === 'completed' || r.state === 'failed' || r.state === 'aborted') seen[r.state] += 1;
        }
      }),
      { numRuns: 10_000 },
    );
    // The schedules must exercise every path, or the invariants above would hold vacuously.
    // (Typical counts per 10,000: 3,600 decided, 1,000 automatic, 1,300 completed, 2,300 failed,
    // 700 aborted, 650 with data loss allowed, 2,700 restarts in the middle of a failover.)
    expect(seen.decided).toBeGreaterThan(1500);
    // (Typical: 1,300 switchovers, 80 stale-primary fences, 900 schedules with an epoch regression.)
    expect(seen.switchovers).toBeGreaterThan(500);
    expect(seen.staleFences).toBeGreaterThan(20);
    expect(seen.regressions).toBeGreaterThan(300);
    expect(seen.auto).toBeGreaterThan(300);
    expect(seen.completed).toBeGreaterThan(400);
    expect(seen.failed).toBeGreaterThan(700);
    expect(seen.aborted).toBeGreaterThan(200);
    expect(seen.dataLoss).toBeGreaterThan(200);
    expect(seen.midFailover).toBeGreaterThan(800);
  });
});

/** Deliberately broken machines: the same schedules must catch each one. */
const MUTANTS: Array<{ name: string; machine?: typeof transition; parts?: MonitorParts; caught: RegExp }> = [
  {
    name: 'promotes in a switchover whatever its fence got for an answer',
    machine: (state, event) =>
      transition(
        state,
        event.type === 'action_answered' && event.action === 'fence' ? { ...event, outcome: 'accepted' } : event,
      ),
    caught: /promote in switchover .* before .* accepted its fence/,
  },
  {
    name: 'lets a signed hook waive the lag guard',
    machine: (state, event) =>
      transition(state, event.type === 'request' && event.source === 'hook' ? { ...event, source: 'operator' } : event),
    caught: /a signed hook waived the lag guard/,
  },
  {
    name: 'adopts any higher epoch a node reports',
    parts: {
      remember: (previous, c) => {
        const real = remember(previous, c);
        const reported = Math.max(0, ...c.nodes.map((n) => n.epoch ?? 0));
        return { ...real, epoch: Math.max(real.epoch ?? 0, reported) };
      },
    },
    caught: /which the monitor never issued/,
  },
  {
    name: 'fences every reachable primary below the store epoch',
    parts: {
      fencer: (c, sent, now) =>
        c.status === 'unknown'
          ? []
          : c.nodes
              .filter((n) => n.role === 'primary' && n.reachable && (n.epoch ?? 0) < c.epoch)
              .filter((n) => now - (sent[n.id] ?? Number.NEGATIVE_INFINITY) >= 30_000)
              .map((n) => n.id),
    },
    caught: /while no node serves at the store epoch/,
  },
  {
    name: 'ignores the lag limit',
    machine: (state, event) =>
      transition(
        state,
        event.type === 'observed' || event.type === 'request'
          ? {
              ...event,
              observations: {
                ...event.observations,
                config: {
                  ...event.observations.config,
                  failover: { ...event.observations.config.failover, maxLagSeconds: 86_400 },
                },
              },
            }
          : event,
      ),
    caught: /without the lag guard met/,
  },
  {
    name: 'completes on the promotion alone, wherever the active IP is',
    machine: (state, event) =>
      transition(
        state.phase === 'fencing' || state.phase === 'promoting' ? { ...state, awaitActive: false } : state,
        event,
      ),
    caught: /completed while the active IP is on|completed at .*, not at the later of/,
  },
  {
    name: 'forgets the cooldown and the 6 h limit',
    machine: (state, event) => transition({ ...state, lastFailoverAt: null, lastAutoFailoverAt: null }, event),
    caught: /inside the cooldown|second automatic failover within 6 h/,
  },
  {
    name: 'forgets the failover in flight on restart',
    machine: (state, event) =>
      event.type === 'restarted'
        ? { state: { ...state, phase: 'idle', current: state.current }, effects: [] }
        : transition(state, event),
    caught: /still (fencing|promoting)|ended the run in state|two promotions/,
  },
  {
    name: 'takes a primary that is down for a primary that is lost',
    machine: (state, event) =>
      transition(
        state,
        event.type === 'observed' && event.classification.status === 'primary_down'
          ? { ...event, classification: { ...event.classification, primaryLost: true } }
          : event,
      ),
    caught: /without the primary lost/,
  },
  {
    name: 'sends before persisting the record',
    machine: (state, event) => {
      const t = transition(state, event);
      const persists = t.effects.filter((e) => e.type === 'persist');
      return { ...t, effects: [...t.effects.filter((e) => e.type !== 'persist'), ...persists] };
    },
    caught: /before its record was persisted/,
  },
  {
    name: 'retries with a new idempotency key',
    machine: (state, event) => {
      const t = transition(state, event);
      const effects = t.effects.map((e) =>
        e.type === 'send' && e.attempt > 1 ? { ...e, idempotencyKey: `${e.idempotencyKey}:${e.attempt}` } : e,
      );
      return { ...t, effects };
    },
    caught: /bad idempotency key/,
  },
];

describe('the invariants can fail', () => {
  for (const m of MUTANTS) {
    it(`catches a machine that ${m.name}`, { timeout: 60_000 }, () => {
      const details = fc.check(
        fc.property(schedule, (s) => {
          play(s, m.machine, m.parts);
        }),
        { numRuns: 5_000, endOnFailure: true },
      );
      expect(details.failed).toBe(true);
      expect(details.errorInstance).toBeInstanceOf(SimViolation);
      expect(String(details.errorInstance)).toMatch(m.caught);
    });
  }
});
