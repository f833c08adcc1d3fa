import { describe, expect, it } from 'vitest';
import { classify } from '#shared/classify.ts';
import { checkEligibility } from '#shared/failover/eligibility.ts';
import { initialState, nextDueAt, retryDelayMs, transition } from '#shared/failover/machine.ts';
import { lagProblem } from '#shared/failover/target.ts';
import { FailoverMachineState } from '#shared/failover/types.ts';
import { baseStatus } from '#shared/monitor/store-status.ts';
import { Sim, type SimNodeSpec, type SimOptions, T0 } from './support/failover-sim.ts';

const A: SimNodeSpec = { id: 'st-a', priority: 100, role: 'primary' };
const B: SimNodeSpec = { id: 'st-b', priority: 50, role: 'standby', lag: 0.5 };
const C: SimNodeSpec = { id: 'st-c', priority: 30, role: 'standby', lag: 2 };
const MIN = 60_000;

function sim(options: Partial<SimOptions> = {}, initial: FailoverMachineState = initialState()): Sim {
  return new Sim(
    {
      mode: 'auto',
      arbiter: true,
      nodes: [A, B],
      promote: 'fast',
      ...options,
      policy: { thresholdSeconds: 3, promoteTimeoutSeconds: 30, confirmTimeoutSeconds: 60, ...options.policy },
    },
    initial,
  );
}

/** A healthy store for 5 s, then its primary `st-a` dies; returns the log position of the crash. */
function crashPrimary(s: Sim, warmup = 5): number {
  s.run(warmup);
  s.node('st-a').up = false;
  return s.log.length;
}

const operator = {
  source: 'operator',
  requestedBy: 'operator:alice',
  reason: 'primary dead, confirmed by phone',
} as const;

describe('automatic failover', () => {
  it('persists the record, fences the old primary, promotes the standby and completes', () => {
    const s = sim();
    const mark = crashPrimary(s);
    s.run(10);

    const log = s.log.slice(mark).flatMap((l) => l.effects);
    const firstPersist = log.findIndex((e) => e.type === 'persist');
    const firstSend = log.findIndex((e) => e.type === 'send');
    expect(firstPersist).toBeGreaterThanOrEqual(0);
    expect(firstPersist).toBeLessThan(firstSend);

    const sends = s.effects('send', mark);
    expect(sends[0]).toMatchObject({ action: 'fence', node: 'st-a', epoch: 2, idempotencyKey: 'st:2:fence:st-a' });
    const promotes = sends.filter((x) => x.action === 'promote');
    expect(promotes).toHaveLength(1);
    expect(promotes[0]).toMatchObject({
      node: 'st-b',
      epoch: 2,
      idempotencyKey: 'st:2:promote:st-b',
      requestedBy: 'auto',
    });

    expect(s.persists(mark).map((f) => f.state)).toEqual(['fencing', 'promoting', 'completed']);
    expect(s.state.current).toMatchObject({
      id: 'st-f1',
      epoch: 2,
      from: 'st-a',
      to: 'st-b',
      mode: 'auto',
      state: 'completed',
      lagSecondsAtDecision: 0.5,
      dataLossAllowed: false,
    });
    expect(s.state.current?.completedAt).not.toBeNull();
    expect(s.state.epoch).toBe(2);
    expect(s.effects('notify', mark).map((n) => n.severity)).toEqual(['critical', 'info']);
  });

  it('shows failing_over while fencing and promoting', () => {
    const s = sim({ promote: 'never' });
    crashPrimary(s);
    s.run(5);
    expect(s.state.phase).toBe('promoting');
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    const view = baseStatus(classify(obs), s.state);
    expect(view.status).toBe('failing_over');
    expect(view.reasons[0]).toContain('promoting st-b at epoch 2');
  });

  it('never acts while the monitor is in its startup grace', () => {
    // A monitor (re)started with the primary already gone sees it confirmed down at once.
    const s = sim();
    s.node('st-a').up = false;
    s.run(2);
    expect(s.lastObservations && classify(s.lastObservations).status).toBe('unknown');
    expect(s.request({ ...operator, allowDataLoss: true })).toMatchObject({
      accepted: false,
      unmet: expect.arrayContaining(['the monitor is starting: 2 of 3 probe rounds collected since it (re)started']),
    });
    s.run(10);
    expect(s.persists()).toEqual([]);
    // The same after a restart mid-loss: the rounds are counted again from zero.
    const t = sim({ mode: 'off' });
    crashPrimary(t);
    t.run(2);
    t.restart();
    t.run(2);
    expect(t.lastObservations?.freshRounds).toBe(2);
    expect(t.request({ ...operator, allowDataLoss: true }).accepted).toBe(false);
  });

  it('does not fail over a store unreachable from the edge, even on request with allowDataLoss', () => {
    const s = sim();
    s.run(5);
    s.wanDown = true;
    s.run(60);
    expect(s.persists()).toEqual([]);
    expect(s.effects('send')).toEqual([]);
    const reply = s.request({ ...operator, allowDataLoss: true });
    expect(reply).toMatchObject({ accepted: false });
    expect(reply.accepted ? [] : reply.unmet).toContain(
      "the store is unreachable from the edge: not failing over on the edge's view alone",
    );
  });

  it('never promotes in a split brain', () => {
    const s = sim({ nodes: [A, B, C] });
    s.run(5);
    s.node('st-b').role = 'primary';
    s.node('st-a').isolated = true;
    s.run(30);
    expect(s.persists()).toEqual([]);
    const reply = s.request({ ...operator, target: 'st-c', allowDataLoss: true });
    expect(reply.accepted).toBe(false);
    expect(reply.accepted ? [] : reply.unmet).toEqual(
      expect.arrayContaining([expect.stringMatching(/^split brain: .*resolve it by hand first$/)]),
    );
  });

  it('does nothing while a maintenance window is active', () => {
    const s = sim();
    s.maintenance = true;
    crashPrimary(s);
    s.run(20);
    expect(s.persists()).toEqual([]);
    expect(s.effects('notify')[0]?.message).toContain('a maintenance window is active');
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    // The window itself is laid over by overlayStatus (resource-tracking.test.ts): underneath, the cause shows.
    expect(baseStatus(classify(obs), s.state).status).toBe('primary_down');
  });
});

describe('the RPO guard', () => {
  it('refuses a standby whose lag exceeds the limit, in words', () => {
    const s = sim({ nodes: [A, { ...B, lag: 45 }] });
    crashPrimary(s);
    s.run(5);
    expect(s.persists()).toEqual([]);
    const alerts = s.effects('notify');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.severity).toBe('critical');
    expect(alerts[0]?.message).toContain('automatic failover is blocked: standby st-b lag 45 s exceeds the 30 s limit');
    const reply = s.request(operator);
    expect(reply.accepted ? [] : reply.unmet).toEqual(['standby st-b lag 45 s exceeds the 30 s limit']);
  });

  it('a signed hook can never waive it, even on a down primary', () => {
    const s = sim({ nodes: [A, { ...B, lag: 45 }] });
    crashPrimary(s);
    s.run(5);
    const reply = s.request({ ...operator, source: 'hook', requestedBy: 'hook', allowDataLoss: true });
    expect(reply.accepted ? [] : reply.unmet).toEqual([
      expect.stringMatching(/^a signed hook cannot waive the lag guard/),
    ]);
    expect(s.persists()).toEqual([]);
  });

  it('lets an operator waive it with allowDataLoss, and records that', () => {
    const s = sim({ nodes: [A, { ...B, lag: 45 }] });
    crashPrimary(s);
    s.run(5);
    const reply = s.request({ ...operator, allowDataLoss: true });
    expect(reply).toMatchObject({
      accepted: true,
      failover: { to: 'st-b', mode: 'manual', requestedBy: 'operator:alice', dataLossAllowed: true },
    });
    s.run(5);
    expect(s.state.current).toMatchObject({ state: 'completed', dataLossAllowed: true, lagSecondsAtDecision: 45 });
  });

  it('counts a stale lag reading as unknown, and unknown as not eligible', () => {
    const s = sim();
    s.run(5);
    // The stream breaks while the edge still reaches the primary: the last streaming lag ages.
    s.node('st-a').isolated = true;
    s.run(30);
    expect(s.persists()).toEqual([]);
    s.node('st-a').up = false;
    s.run(10);
    expect(s.persists()).toEqual([]);
    expect(s.effects('notify')[0]?.message).toMatch(
      /standby st-b lag unknown: last measured 33 s ago, a reading older than 18 s does not count/,
    );
  });

  it('draws the freshness line at threshold + max(3 × interval, 15) seconds', () => {
    const s = sim();
    s.run(3);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    const at = obs.nodes.find((n) => n.id === 'st-b')?.lastStreamingLag?.at ?? 0;
    expect(lagProblem('st-b', obs, at + 18_000, null)).toBeNull();
    expect(lagProblem('st-b', obs, at + 18_001, null)).toMatch(/^standby st-b lag unknown: last measured 18 s ago/);
    const never = { ...obs, nodes: obs.nodes.map((n) => ({ ...n, lastStreamingLag: null })) };
    expect(lagProblem('st-b', never, at, null)).toBe('standby st-b lag unknown: never measured while streaming');
  });

  it('judges a down primary on the reading taken as it went down, however late the decision', () => {
    const s = sim();
    s.run(3);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    const at = obs.nodes.find((n) => n.id === 'st-b')?.lastStreamingLag?.at ?? 0;
    // Streaming until 15 s before the outage: still valid when an operator confirms 10 minutes on.
    expect(lagProblem('st-b', obs, at + 10 * MIN, at + 15_000)).toBeNull();
    // Not streaming for 16 s before the outage: unknown, at once and forever.
    expect(lagProblem('st-b', obs, at + 19_000, at + 16_000)).toMatch(/^standby st-b lag unknown/);
    expect(lagProblem('st-b', obs, at + 10 * MIN, at + 16_000)).toMatch(/^standby st-b lag unknown/);
  });
});

describe('cooldown and the automatic failover limit', () => {
  it('blocks a failover within the cooldown of the last one', () => {
    const s = sim({}, { ...initialState(1), lastFailoverAt: T0 - 12 * MIN });
    crashPrimary(s);
    s.run(20);
    expect(s.persists()).toEqual([]);
    expect(s.effects('notify')[0]?.message).toContain('cooldown: last failover 12 min ago, 3600 s required');
    const reply = s.request(operator);
    expect(reply.accepted ? [] : reply.unmet).toEqual([expect.stringMatching(/^cooldown: last failover 12 min ago/)]);
  });

  it('acts once the cooldown has passed while the primary is still lost', () => {
    const s = sim({ policy: { cooldownSeconds: 60 } }, { ...initialState(1), lastFailoverAt: T0 - 40_000 });
    crashPrimary(s);
    s.run(10);
    expect(s.persists()).toEqual([]);
    s.run(20);
    expect(s.decisions).toHaveLength(1);
    expect(s.decisions[0]?.at).toBe(T0 + 20_000);
  });

  it('allows at most one automatic failover per 6 h, but still an operator one', () => {
    const last = T0 - 2 * 60 * MIN;
    const s = sim({}, { ...initialState(1), lastFailoverAt: last, lastAutoFailoverAt: last });
    crashPrimary(s);
    s.run(20);
    expect(s.persists()).toEqual([]);
    expect(s.effects('notify')[0]?.message).toContain('at most one automatic failover per 6 h: the last was 2 h ago');
    expect(s.request(operator)).toMatchObject({ accepted: true, failover: { mode: 'manual' } });
  });
});

describe('target choice', () => {
  it('never promotes a priority 0 node', () => {
    const s = sim({ nodes: [A, { ...B, priority: 0 }, { ...C, lag: 5 }] });
    crashPrimary(s);
    s.run(10);
    expect(s.state.current).toMatchObject({ to: 'st-c', state: 'completed' });
    expect(s.effects('send').filter((x) => x.action === 'promote' && x.node === 'st-b')).toEqual([]);
  });

  it('refuses when every standby has priority 0, or one is named', () => {
    const s = sim({ nodes: [A, { ...B, priority: 0 }] });
    crashPrimary(s);
    s.run(10);
    expect(s.persists()).toEqual([]);
    expect(s.effects('notify')[0]?.message).toContain(
      'no standby can be promoted: every node but the primary has priority 0',
    );
    const reply = s.request({ ...operator, target: 'st-b' });
    expect(reply.accepted ? [] : reply.unmet).toEqual(['target st-b has priority 0: it is never promoted']);
  });

  it('prefers the highest priority, then the lowest lag', () => {
    const d: SimNodeSpec = { id: 'st-d', priority: 80, role: 'standby', lag: 20 };
    const byPriority = sim({ nodes: [A, B, { ...C, priority: 50, lag: 0.1 }, d] });
    crashPrimary(byPriority);
    byPriority.run(10);
    expect(byPriority.state.current?.to).toBe('st-d');

    const byLag = sim({ nodes: [A, { ...B, lag: 2 }, { ...C, priority: 50, lag: 0.1 }] });
    crashPrimary(byLag);
    byLag.run(10);
    expect(byLag.state.current?.to).toBe('st-c');
  });

  it('names an unreachable target in words', () => {
    const s = sim({ nodes: [A, B, C] });
    crashPrimary(s);
    s.node('st-b').up = false;
    s.run(2);
    const reply = s.request({ ...operator, target: 'st-b' });
    expect(reply.accepted ? [] : reply.unmet).toEqual(
      expect.arrayContaining(['standby st-b unreachable from the edge (timeout after 2000 ms)']),
    );
    expect(s.request({ ...operator, target: 'st-z' })).toMatchObject({
      accepted: false,
      unmet: expect.arrayContaining(['target st-z is not a node of this store']),
    });
  });
});

describe('manual mode', () => {
  it('waits for a confirmation, then fails over', () => {
    const s = sim({ mode: 'manual' });
    const mark = crashPrimary(s);
    s.run(20);
    expect(s.state.phase).toBe('awaiting_confirm');
    expect(s.effects('send')).toEqual([]);
    expect(s.persists(mark)).toEqual([expect.objectContaining({ id: 'st-f1', state: 'awaiting_confirm', to: 'st-b' })]);
    expect(s.effects('notify', mark)).toEqual([
      expect.objectContaining({
        severity: 'critical',
        message: expect.stringContaining('confirm failover st-f1 to st-b'),
      }),
    ]);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    expect(baseStatus(classify(obs), s.state).status).toBe('awaiting_confirm');

    const reply = s.request({ ...operator, source: 'hook', requestedBy: 'hook' });
    expect(reply).toMatchObject({ accepted: true, failover: { id: 'st-f1', mode: 'hook', requestedBy: 'hook' } });
    s.run(5);
    expect(s.state.current).toMatchObject({ id: 'st-f1', state: 'completed', epoch: 2 });
  });

  it('re-checks every condition at confirmation time', () => {
    const s = sim({ mode: 'manual' });
    crashPrimary(s);
    s.run(10);
    expect(s.state.phase).toBe('awaiting_confirm');
    s.node('st-b').dbHealthy = false;
    s.run(2);
    const reply = s.request(operator);
    expect(reply.accepted ? [] : reply.unmet).toContain('standby st-b reports its database unhealthy');
    expect(s.state.phase).toBe('awaiting_confirm');
  });

  it('aborts the proposal when it expires, and does not propose again for the same loss', () => {
    const s = sim({ mode: 'manual', policy: { confirmTimeoutSeconds: 10 } });
    crashPrimary(s);
    s.run(30);
    expect(s.persists().map((f) => f.state)).toEqual(['awaiting_confirm', 'aborted']);
    expect(s.state.current?.error).toMatch(/^not confirmed before /);
    expect(s.state.phase).toBe('idle');
    expect(s.effects('send')).toEqual([]);
  });

  it('aborts the proposal when the primary serves again', () => {
    const s = sim({ mode: 'manual' });
    crashPrimary(s);
    s.run(10);
    s.node('st-a').up = true;
    s.run(3);
    expect(s.state.current).toMatchObject({ state: 'aborted', error: 'primary st-a is serving again' });
  });
});

describe('mode off', () => {
  it('only alerts, once per loss', () => {
    const s = sim({ mode: 'off' });
    crashPrimary(s);
    s.run(60);
    expect(s.persists()).toEqual([]);
    expect(s.effects('send')).toEqual([]);
    expect(s.effects('notify')).toEqual([
      { type: 'notify', severity: 'critical', message: expect.stringContaining('failover mode is off') },
    ]);
  });
});

describe('operator switchover', () => {
  it('fences the serving primary, then promotes a streaming standby', () => {
    const s = sim({ mode: 'off' });
    s.run(5);
    const reply = s.request({ ...operator, reason: 'planned switch' });
    expect(reply).toMatchObject({ accepted: true, failover: { from: 'st-a', to: 'st-b', detectedAt: null } });
    s.run(5);
    expect(s.effects('send').map((x) => `${x.action} ${x.node}`)).toEqual(['fence st-a', 'promote st-b']);
    expect(s.state.current?.state).toBe('completed');
  });

  it('needs the lag within limits; allowDataLoss does not apply while the primary serves', () => {
    const s = sim({ nodes: [A, { ...B, lag: 45 }] });
    s.run(5);
    const reply = s.request({ ...operator, allowDataLoss: true });
    expect(reply.accepted ? [] : reply.unmet).toEqual(['standby st-b lag 45 s exceeds the 30 s limit']);
  });

  it('never promotes when the old primary refuses its fence: the switchover fails, naming the fence', () => {
    const s = sim({ mode: 'off' });
    s.run(5);
    s.node('st-a').epoch = 7; // the sim's agent refuses an epoch not above its own
    expect(s.request({ ...operator, reason: 'planned switch' }).accepted).toBe(true);
    s.run(20);
    expect(s.effects('send').map((x) => `${x.action} ${x.node}`)).toEqual(['fence st-a']);
    expect(s.state.current).toMatchObject({ state: 'failed' });
    expect(s.state.current?.error).toMatch(
      /^st-a did not accept its fence \(epoch 2 is not above 7\); no promote was sent/,
    );
  });

  it('never promotes while its fence goes unanswered: retried, then the switchover fails', () => {
    const s = sim({ mode: 'off' });
    s.run(5);
    s.net = 'dropRequest';
    expect(s.request({ ...operator, reason: 'planned switch' }).accepted).toBe(true);
    s.run(30);
    const sends = s.effects('send').map((x) => `${x.action} ${x.node}`);
    expect(sends.length).toBeGreaterThan(1);
    expect(sends.every((x) => x === 'fence st-a')).toBe(true);
    expect(s.state.current).toMatchObject({ state: 'failed' });
    expect(s.state.current?.error).toMatch(/^st-a did not accept its fence/);
  });

  it('a failover (primary lost) still promotes after a fence that got no answer', () => {
    const s = sim();
    crashPrimary(s);
    s.run(30);
    expect(s.effects('send').map((x) => x.action)).toContain('promote');
    expect(s.state.current?.state).toBe('completed');
  });

  it('refuses a second request while a failover is in flight', () => {
    const s = sim({ promote: 'never' });
    s.run(5);
    expect(s.request(operator).accepted).toBe(true);
    const again = s.request(operator);
    expect(again.accepted ? [] : again.unmet).toEqual([expect.stringMatching(/^failover st-f1 is in progress/)]);
  });
});

describe('ending a failover', () => {
  it('fails when the target does not report primary within promoteTimeoutSeconds', () => {
    const s = sim({ promote: 'never', policy: { promoteTimeoutSeconds: 5 } });
    const mark = crashPrimary(s);
    s.run(20);
    expect(s.state.current).toMatchObject({ state: 'failed', completedAt: null });
    expect(s.state.current?.error).toBe('st-b did not report primary at epoch 2 within 5 s of the decision');
    const last = s.effects('notify', mark).at(-1);
    expect(last).toMatchObject({
      severity: 'critical',
      message: expect.stringContaining('manual intervention needed'),
    });
  });

  it('fails at once when the target refuses the promotion', () => {
    const s = sim({ promote: 'refuse' });
    crashPrimary(s);
    s.run(5);
    expect(s.state.current).toMatchObject({
      state: 'failed',
      error: 'st-b refused the promotion: database not ready to promote',
    });
    expect(s.effects('send').filter((x) => x.action === 'promote')).toHaveLength(1);
  });

  it('retries an unanswered promote with backoff and the same idempotency key', () => {
    const s = sim({ promote: 'never', policy: { promoteTimeoutSeconds: 20 } });
    crashPrimary(s);
    s.net = 'dropRequest';
    s.run(20);
    const promotes = s.effects('send').filter((x) => x.action === 'promote');
    expect(new Set(promotes.map((p) => p.idempotencyKey))).toEqual(new Set(['st:2:promote:st-b']));
    expect(promotes.map((p) => p.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('ignores duplicate and late answers', () => {
    const s = sim({ promote: 'never' });
    crashPrimary(s);
    s.run(4);
    expect(s.state.phase).toBe('promoting');
    const before = s.state;
    // The promote was accepted; a later answer for it, or one for another failover, changes nothing.
    const answer = {
      type: 'action_answered',
      now: s.now - 1000,
      failoverId: 'st-f1',
      action: 'promote',
      node: 'st-b',
      outcome: 'refused',
      detail: 'late',
    } as const;
    expect(transition(before, answer)).toEqual({ state: before, effects: [] });
    expect(transition(before, { ...answer, outcome: 'accepted' })).toEqual({ state: before, effects: [] });
    expect(transition(before, { ...answer, failoverId: 'st-f0' })).toEqual({ state: before, effects: [] });
    // A second `unreachable` for the fence while its retry is already scheduled changes nothing either.
    const fence = { ...answer, action: 'fence', node: 'st-a', outcome: 'unreachable' } as const;
    expect(transition(before, fence)).toEqual({ state: before, effects: [] });
  });
});

describe('restarts', () => {
  it('resumes a promotion after a restart without a new epoch or a new promote', () => {
    const s = sim({ promote: 'slow', policy: { promoteTimeoutSeconds: 60 } });
    crashPrimary(s);
    s.run(4);
    expect(s.state.phase).toBe('promoting');
    s.restart();
    s.run(3);
    s.restart();
    s.run(40);
    const promotes = s.effects('send').filter((x) => x.action === 'promote');
    expect(promotes.map((p) => p.idempotencyKey)).toEqual(['st:2:promote:st-b']);
    expect(s.persists().filter((f) => f.state === 'fencing')).toHaveLength(1);
    expect(s.state.current).toMatchObject({ id: 'st-f1', state: 'completed', epoch: 2 });
  });

  it('re-sends an unanswered promote after a restart, with the same key', () => {
    const s = sim();
    crashPrimary(s);
    s.crashAt = 'promote';
    s.run(4);
    expect(s.log.some((l) => l.event.type === 'restarted')).toBe(true);
    const promotes = s.effects('send').filter((x) => x.action === 'promote');
    expect(promotes.map((p) => [p.idempotencyKey, p.attempt])).toEqual([
      ['st:2:promote:st-b', 1],
      ['st:2:promote:st-b', 2],
    ]);
    s.run(5);
    expect(s.state.current).toMatchObject({ state: 'completed', epoch: 2 });
  });
});

describe('failback', () => {
  it('is never automatic: the old primary returns and stays out', () => {
    const s = sim({ policy: { cooldownSeconds: 0 } });
    crashPrimary(s);
    s.run(10);
    expect(s.state.current).toMatchObject({ state: 'completed', to: 'st-b' });
    const mark = s.log.length;
    // The old primary comes back still claiming primary at the old epoch: it is flagged, not promoted,
    // and the stale-primary fencer fences it (st-b serves at the store epoch).
    s.node('st-a').up = true;
    s.run(30);
    expect(s.effects('send', mark)).toEqual([]);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    expect(classify(obs).nodes.find((n) => n.id === 'st-a')).toMatchObject({ needsReinstatement: true });
    expect(s.node('st-a')).toMatchObject({ role: 'primary', fenced: true });
    // Nor when the new primary dies in turn.
    s.node('st-b').up = false;
    s.run(30);
    expect(s.decisions).toHaveLength(1);
    expect(s.effects('send', mark)).toEqual([]);
    const reply = s.request({ ...operator, target: 'st-a', allowDataLoss: true });
    expect(reply.accepted ? [] : reply.unmet).toEqual(
      expect.arrayContaining(['st-a must be reinstated as a standby before it can be promoted']),
    );
  });
});

describe('the machine state', () => {
  it('round-trips through JSON and its schema in every phase', () => {
    const s = sim({ mode: 'manual', promote: 'never' });
    const states: FailoverMachineState[] = [s.state];
    crashPrimary(s);
    s.run(8);
    states.push(s.state);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    const confirm = transition(s.state, {
      type: 'request',
      now: s.now,
      ...operator,
      classification: classify(obs),
      observations: obs,
      maintenance: false,
    });
    states.push(confirm.state);
    s.request(operator);
    states.push(s.state);
    expect(states.map((x) => x.phase)).toEqual(['idle', 'awaiting_confirm', 'fencing', 'promoting']);
    for (const x of states) expect(FailoverMachineState.parse(JSON.parse(JSON.stringify(x)))).toEqual(x);
  });

  it('asks for the alarm at the earliest pending task', () => {
    expect(nextDueAt(initialState())).toBeNull();
    const s = sim({ promote: 'never', policy: { promoteTimeoutSeconds: 30 } });
    crashPrimary(s);
    s.run(4);
    const state = s.state;
    if (state.phase !== 'promoting') throw new Error(`expected promoting, got ${state.phase}`);
    // The fence was answered `unreachable`: its retry comes before the promote timeout.
    const retries = state.actions.flatMap((a) => (a.retryAt === null ? [] : [a.retryAt]));
    expect(retries).toHaveLength(1);
    expect(nextDueAt(state)).toBe(Math.min(...retries, state.deadline));
    expect(nextDueAt(state)).toBeLessThan(state.deadline);
  });

  it('lists every unmet condition at once', () => {
    const s = sim({ nodes: [A, { ...B, lag: 45 }] }, { ...initialState(1), lastFailoverAt: T0 });
    s.maintenance = true;
    s.run(5);
    const obs = s.lastObservations;
    if (!obs) throw new Error('no observations');
    const e = checkEligibility({
      kind: 'auto',
      now: s.now,
      classification: classify(obs),
      observations: obs,
      maintenance: true,
      lastFailoverAt: T0,
      lastAutoFailoverAt: null,
    });
    expect(e.eligible).toBe(false);
    expect(e.unmet).toEqual([
      'primary st-a is serving',
      'a maintenance window is active: failover is suspended until it ends',
      'cooldown: last failover 5 s ago, 3600 s required',
      'standby st-b lag 45 s exceeds the 30 s limit',
    ]);
  });
});
