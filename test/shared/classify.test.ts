import { describe, expect, it } from 'vitest';
import { type Classification, CONFIRM_FAILURES, classify, STARTUP_ROUNDS } from '#shared/classify.ts';
import {
  ACTIVE,
  ARBITER,
  arbiterReport,
  failedProbe,
  historyOf,
  iso,
  okProbe,
  primaryReport,
  type ScenarioOptions,
  type StoreScenario,
  standbyReport,
  storeScenario,
} from './support/observations.ts';

/** A primary crash as the three views see it: edge failing, standby disconnected, arbiter blind. */
/** The primary dies right after the warm-up's last round: the loss clock starts at that last answer. */
function primaryCrash(options: ScenarioOptions = {}) {
  const s = storeScenario(options).warm();
  const lastAnswer = s.now;
  s.fail('node-a').fail(ACTIVE).replication('node-b', { state: 'disconnected', primaryReachable: false });
  if (s.config.store.arbiter) s.sees({ 'node-a': false });
  s.tick();
  /** Runs rounds until `ms` after the last answer. */
  const until = (ms: number) => s.runFor(lastAnswer + ms - s.now);
  return { s, since: lastAnswer, firstFailure: s.now, until };
}

function nodeVerdict(c: Classification, id: string) {
  const n = c.nodes.find((v) => v.id === id);
  if (!n) throw new Error(`no verdict for ${id}`);
  return n;
}

describe('startup grace', () => {
  it.each([0, 1, 2])('says unknown after %i rounds', (rounds) => {
    const s = storeScenario();
    if (rounds > 0) s.warm(rounds);
    const c = classify(s.observe());
    expect(c.status).toBe('unknown');
    expect(c.reasons[0]).toBe(`starting: ${rounds} of 3 probe rounds collected`);
    expect(c.primaryLost).toBe(false);
  });

  it('speaks from the third round on', () => {
    expect(STARTUP_ROUNDS).toBe(3);
    const c = classify(storeScenario().warm(3).observe());
    expect(c.status).toBe('healthy');
  });

  it('stays unknown during the grace even when every endpoint fails and the standby lost the primary', () => {
    const s = storeScenario().warm(1);
    s.failAll().replication('node-b', { state: 'disconnected', primaryReachable: false }).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('unknown');
    expect(c.reasons[0]).toBe('starting: 2 of 3 probe rounds collected');
    expect(c.primaryLost).toBe(false);
    expect(c.views).toBeNull();
  });
});

describe('healthy store', () => {
  it('with an arbiter: healthy, no reasons, every verdict filled in', () => {
    const s = storeScenario().warm();
    const c = classify(s.observe());
    expect(c).toMatchObject({
      status: 'healthy',
      reasons: [],
      primary: 'node-a',
      primaryServing: true,
      epoch: 3,
      lagSeconds: 0.4,
      activeReachable: true,
      arbiterReachable: true,
      views: null,
      primaryDownSince: null,
      primaryLost: false,
      unconfirmedFailures: false,
    });
    expect(nodeVerdict(c, 'node-a')).toMatchObject({
      role: 'primary',
      reachable: true,
      healthy: true,
      epoch: 3,
      latencyMs: 12,
      lastSeenAt: s.now,
      lagSeconds: null,
      error: null,
      needsReinstatement: false,
    });
    expect(nodeVerdict(c, 'node-b')).toMatchObject({
      role: 'standby',
      reachable: true,
      healthy: true,
      lagSeconds: 0.4,
      needsReinstatement: false,
    });
  });

  it('without an arbiter: healthy, arbiterReachable null', () => {
    const c = classify(storeScenario({ arbiter: false }).warm().observe());
    expect(c.status).toBe('healthy');
    expect(c.reasons).toEqual([]);
    expect(c.arbiterReachable).toBeNull();
  });

  it('with three nodes and a second primary-less standby: healthy', () => {
    const c = classify(
      storeScenario({ nodes: ['node-a', 'node-b', 'node-c'] })
        .warm()
        .observe(),
    );
    expect(c.status).toBe('healthy');
    expect(c.reasons).toEqual([]);
    expect(c.nodes.map((n) => n.role)).toEqual(['primary', 'standby', 'standby']);
  });

  it('a standby lag exactly at the limit is not degraded', () => {
    const s = storeScenario().warm();
    s.replication('node-b', { lagSeconds: 30 }).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.lagSeconds).toBe(30);
  });
});

describe('retries before down', () => {
  it('needs two consecutive failures to confirm', () => {
    expect(CONFIRM_FAILURES).toBe(2);
  });

  it('a single failed probe of the primary leaves the status unchanged and asks for a retry', () => {
    const s = storeScenario().warm();
    s.fail('node-a', 'HTTP 503').tick();
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.reasons).toEqual([]);
    expect(c.unconfirmedFailures).toBe(true);
    expect(c.primary).toBe('node-a');
    expect(c.primaryServing).toBe(true);
    expect(c.views).toBeNull();
    expect(nodeVerdict(c, 'node-a')).toMatchObject({
      reachable: true,
      role: 'primary',
      healthy: true,
      latencyMs: null,
      error: 'HTTP 503',
    });
  });

  it.each([
    ['the standby', 'node-b'],
    ['the active endpoint', ACTIVE],
    ['the arbiter', ARBITER],
  ])('a single failed probe of %s leaves the store healthy', (_label, endpoint) => {
    const s = storeScenario().warm();
    s.fail(endpoint).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.reasons).toEqual([]);
    expect(c.unconfirmedFailures).toBe(true);
    expect(c.lagSeconds).toBe(0.4);
  });

  it('the second failure of the primary is confirmed: primary_down, no longer a retry', () => {
    const s = storeScenario().warm();
    s.fail('node-a').fail(ACTIVE).tick().tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.unconfirmedFailures).toBe(false);
    expect(nodeVerdict(c, 'node-a').reachable).toBe(false);
  });

  it('an endpoint that never answered is unreachable at its first failure', () => {
    const s = storeScenario();
    s.fail(ARBITER, 'connection refused').warm();
    const c = classify(s.observe());
    expect(c.status).toBe('degraded');
    expect(c.reasons).toEqual(['arbiter unreachable from the edge (connection refused)']);
    expect(c.unconfirmedFailures).toBe(false);
  });

  it('an answer after a single failure clears the retry', () => {
    const s = storeScenario().warm();
    s.fail('node-a').tick().recover('node-a').tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.unconfirmedFailures).toBe(false);
    expect(nodeVerdict(c, 'node-a').latencyMs).toBe(12);
  });
});

describe('store_unreachable', () => {
  it('when every endpoint (nodes, active, arbiter) failed twice: alert, never fail over', () => {
    const s = storeScenario().warm();
    s.failAll().tick().tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('store_unreachable');
    expect(c.reasons[0]).toBe(
      'the edge reaches no endpoint of the store (WAN link or site down): alerting, never failing over',
    );
    expect(c.primaryLost).toBe(false);
    expect(c.views).toBeNull();
    expect(c.activeReachable).toBe(false);
    expect(c.arbiterReachable).toBe(false);
    expect(c.primary).toBe('node-a');
    expect(c.primaryServing).toBe(false);
  });

  it('a single failed round everywhere is only retried', () => {
    const s = storeScenario().warm();
    s.failAll().tick();
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.unconfirmedFailures).toBe(true);
  });

  it('never primaryLost, long past the threshold, even when the standby last said it was disconnected', () => {
    const s = storeScenario().warm();
    s.replication('node-b', { state: 'disconnected', primaryReachable: false }).sees({ 'node-a': false }).tick();
    s.failAll().tick().runFor(120_000);
    const c = classify(s.observe());
    expect(c.status).toBe('store_unreachable');
    expect(c.primaryLost).toBe(false);
    expect(c.views).toBeNull();
  });

  it('without an arbiter: nodes and active endpoint failing is enough', () => {
    const s = storeScenario({ arbiter: false }).warm();
    s.failAll().tick().tick(1000);
    expect(classify(s.observe()).status).toBe('store_unreachable');
  });

  it('one endpoint still answering (the arbiter) means the store is not unreachable', () => {
    const s = storeScenario().warm();
    s.failAll().recover(ARBITER).tick().tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.arbiterReachable).toBe(true);
  });

  it('TCP checks do not count as endpoints that answer', () => {
    const s = storeScenario({ tcp: true }).warm();
    s.failAll().tick().tick(1000);
    expect(classify(s.observe()).status).toBe('store_unreachable');
  });

  it('with fresh pushed reports: says the WAN link is down, still no loss', () => {
    const s = storeScenario().warm();
    s.failAll().tick().runFor(60_000);
    s.replication('node-b', { state: 'disconnected', primaryReachable: false }).push('node-b');
    s.sees({ 'node-a': false }).push(ARBITER);
    const c = classify(s.observe());
    expect(c.status).toBe('store_unreachable');
    expect(c.reasons[0]).toBe(
      'the edge reaches no endpoint of the store, but its agents still push reports: WAN link down, not failing over',
    );
    expect(c.primaryLost).toBe(false);
    expect(nodeVerdict(c, 'node-b').report?.replication?.state).toBe('disconnected');
  });

  it('a pushed report older than the freshness window does not count as pushing', () => {
    const s = storeScenario().warm();
    s.push('node-b');
    s.failAll().tick().runFor(20_000);
    const c = classify(s.observe());
    expect(c.status).toBe('store_unreachable');
    expect(c.reasons[0]).toBe(
      'the edge reaches no endpoint of the store (WAN link or site down): alerting, never failing over',
    );
    expect(nodeVerdict(c, 'node-b').report).toBeNull();
  });
});

describe('primary crash: the loss rule', () => {
  it('below the threshold: primary_down, not lost', () => {
    const { s, since, until } = primaryCrash();
    until(20_000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.primaryLost).toBe(false);
    expect(c.primaryServing).toBe(false);
    expect(c.primary).toBe('node-a');
    expect(c.primaryDownSince).toBe(since);
    expect(c.views).toEqual({ edge: 'up', standby: 'lost', arbiter: 'lost' });
    expect(c.reasons[0]).toBe(`primary node-a unreachable from the edge (timeout after 2000 ms) since ${iso(since)}`);
    expect(c.reasons).toContain('the standby has lost the primary too');
    expect(c.reasons).toContain('the arbiter no longer sees node-a');
    expect(c.reasons).not.toContain('primary lost: edge, standby and arbiter agree');
  });

  it('one second short of the threshold: not lost', () => {
    const { s, until } = primaryCrash();
    until(29_000);
    const c = classify(s.observe());
    expect(c.views?.edge).toBe('up');
    expect(c.primaryLost).toBe(false);
  });

  it('at the threshold, standby disconnected and the arbiter blind: lost', () => {
    const { s, since, firstFailure, until } = primaryCrash();
    until(30_000);
    const c = classify(s.observe());
    // Detected at the first failed probe; the loss clock runs from the last answer before it.
    expect(c.primaryFailingSince).toBe(firstFailure);
    expect(firstFailure).toBeGreaterThan(since);
    expect(c.status).toBe('primary_down');
    expect(c.primaryLost).toBe(true);
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'lost' });
    expect(c.primaryDownSince).toBe(since);
    expect(c.reasons).toEqual([
      `primary node-a unreachable from the edge (timeout after 2000 ms) since ${iso(since)}`,
      'the standby has lost the primary too',
      'the arbiter no longer sees node-a',
      'primary lost: edge, standby and arbiter agree',
    ]);
  });

  it('follows a per-store threshold', () => {
    const { s } = primaryCrash({ failover: { thresholdSeconds: 10, leaseSeconds: 2 } });
    s.runFor(10_000);
    expect(classify(s.observe()).primaryLost).toBe(true);
  });

  it('the arbiter still seeing the primary vetoes the loss', () => {
    const { s } = primaryCrash();
    s.sees({ 'node-a': true }).runFor(60_000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.primaryLost).toBe(false);
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'up' });
    expect(c.reasons).toContain('the arbiter still sees node-a');
  });

  it('no arbiter configured: edge and standby are enough', () => {
    const { s } = primaryCrash({ arbiter: false });
    s.runFor(30_000);
    const c = classify(s.observe());
    expect(c.primaryLost).toBe(true);
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'unknown' });
  });

  it('an arbiter that does not answer is silent: edge and standby are enough', () => {
    const { s } = primaryCrash();
    s.sees({ 'node-a': true }).fail(ARBITER).runFor(30_000);
    const c = classify(s.observe());
    expect(c.primaryLost).toBe(true);
    expect(c.views?.arbiter).toBe('unknown');
    expect(c.arbiterReachable).toBe(false);
  });

  it('an arbiter that answers without an opinion on the primary is silent', () => {
    const { s } = primaryCrash();
    s.answer(ARBITER, arbiterReport({ 'node-b': true })).runFor(30_000);
    const c = classify(s.observe());
    expect(c.views?.arbiter).toBe('unknown');
    expect(c.primaryLost).toBe(true);
  });

  it('a standby still streaming from the primary vetoes the loss', () => {
    const { s } = primaryCrash();
    s.replication('node-b', { state: 'streaming', primaryReachable: true }).runFor(60_000);
    const c = classify(s.observe());
    expect(c.primaryLost).toBe(false);
    expect(c.views).toEqual({ edge: 'lost', standby: 'up', arbiter: 'lost' });
    expect(c.reasons).toContain('the standby still reaches the primary');
  });

  it.each([
    ['disconnected, though it says it reaches the primary', { state: 'disconnected', primaryReachable: true }, 'lost'],
    ['streaming, but it says it cannot reach the primary', { state: 'streaming', primaryReachable: false }, 'lost'],
    ['catching up with the primary', { state: 'catchup', primaryReachable: true }, 'up'],
    ['stopped, primary unreachable', { state: 'stopped', primaryReachable: false }, 'lost'],
  ] as const)('a standby %s is the standby view %s', (_label, replication, view) => {
    const { s } = primaryCrash();
    s.replication('node-b', replication).runFor(30_000);
    const c = classify(s.observe());
    expect(c.views?.standby).toBe(view);
    expect(c.primaryLost).toBe(view === 'lost');
  });

  it('with two standbys, one still reaching the primary vetoes the loss', () => {
    const { s } = primaryCrash({ nodes: ['node-a', 'node-b', 'node-c'] });
    s.runFor(30_000);
    const c = classify(s.observe());
    expect(c.views?.standby).toBe('up');
    expect(c.primaryLost).toBe(false);
  });

  it('a standby unreachable with no push leaves the standby view unknown: not lost', () => {
    const { s } = primaryCrash();
    s.fail('node-b').runFor(60_000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.views).toEqual({ edge: 'lost', standby: 'unknown', arbiter: 'lost' });
    expect(c.primaryLost).toBe(false);
    expect(c.reasons).toContain('no fresh standby report: cannot confirm the loss');
  });

  it('a fresh pushed standby report is the standby view', () => {
    const { s } = primaryCrash();
    s.fail('node-b').runFor(30_000).push('node-b');
    const c = classify(s.observe());
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'lost' });
    expect(c.primaryLost).toBe(true);
  });

  it('a stale pushed standby report is not', () => {
    const { s } = primaryCrash();
    s.fail('node-b').tick(1000).push('node-b').runFor(30_000);
    const c = classify(s.observe());
    expect(c.views?.standby).toBe('unknown');
    expect(c.primaryLost).toBe(false);
  });

  it('a pushed standby report exactly at the freshness limit (15 s at a 5 s interval) still counts', () => {
    const { s } = primaryCrash();
    s.fail('node-b').runFor(15_000).push('node-b').runFor(15_000);
    expect(classify(s.observe()).views?.standby).toBe('lost');
    s.tick(1);
    expect(classify(s.observe()).views?.standby).toBe('unknown');
  });

  it('a pushed arbiter report counts as the arbiter view', () => {
    const { s } = primaryCrash();
    s.sees({ 'node-a': true }).fail(ARBITER).runFor(30_000).push(ARBITER);
    const c = classify(s.observe());
    expect(c.views?.arbiter).toBe('up');
    expect(c.primaryLost).toBe(false);
  });

  it('the primary recovering clears primary_down', () => {
    const { s } = primaryCrash();
    s.runFor(20_000).recover('node-a').recover(ACTIVE);
    s.replication('node-b', { state: 'streaming', primaryReachable: true }).sees({ 'node-a': true }).tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('healthy');
    expect(c.views).toBeNull();
    expect(c.primaryDownSince).toBeNull();
  });
});

describe('primary answering but unhealthy', () => {
  function unhealthyPrimary() {
    const s = storeScenario().warm();
    s.update('node-a', { healthy: false });
    s.replication('node-b', { state: 'disconnected', primaryReachable: false }).sees({ 'node-a': false }).tick();
    return { s, since: s.now };
  }

  it('below the threshold: primary_down, edge view up', () => {
    const { s, since } = unhealthyPrimary();
    s.runFor(10_000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.primaryServing).toBe(false);
    expect(c.primaryDownSince).toBe(since);
    expect(c.views?.edge).toBe('up');
    expect(c.reasons[0]).toBe(`primary node-a reports its database unhealthy since ${iso(since)}`);
    expect(nodeVerdict(c, 'node-a')).toMatchObject({ reachable: true, healthy: false, role: 'primary' });
  });

  it('for the threshold: the edge view is lost, and so is the primary', () => {
    const { s, since } = unhealthyPrimary();
    s.runFor(30_000);
    const c = classify(s.observe());
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'lost' });
    expect(c.primaryLost).toBe(true);
    expect(c.reasons[0]).toBe(`primary node-a reports its database unhealthy since ${iso(since)}`);
  });

  it('unhealthy answers then silence count as one streak, from the first unhealthy answer', () => {
    const { s, since } = unhealthyPrimary();
    s.runFor(20_000).fail('node-a').fail(ACTIVE).runFor(10_000);
    const c = classify(s.observe());
    expect(c.primaryDownSince).toBe(since);
    expect(c.views?.edge).toBe('lost');
    expect(c.primaryLost).toBe(true);
    expect(c.reasons[0]).toBe(`primary node-a unreachable from the edge (timeout after 2000 ms) since ${iso(since)}`);
  });

  it('a healthy answer ends the streak', () => {
    const { s } = unhealthyPrimary();
    s.runFor(20_000).update('node-a', { healthy: true }).tick(1000).update('node-a', { healthy: false }).tick(1000);
    const c = classify(s.observe());
    expect(c.primaryDownSince).toBe(s.now);
  });
});

describe('the active endpoint keeps the edge view up', () => {
  it('while it still answers as the healthy primary, the primary is not lost', () => {
    const s = storeScenario().warm();
    s.fail('node-a', 'connection refused');
    s.replication('node-b', { state: 'disconnected', primaryReachable: false }).sees({ 'node-a': false });
    s.tick().runFor(60_000);
    const c = classify(s.observe());
    // It still serves on the active IP: degraded, never lost, whatever the other views say.
    expect(c.status).toBe('degraded');
    expect(c.primaryServing).toBe(true);
    expect(c.primaryLost).toBe(false);
    expect(c.reasons).toContain(
      'primary node-a answers only through the active endpoint; its own address fails (connection refused)',
    );
  });

  it('not when it answers as the primary reporting itself unhealthy', () => {
    const s = storeScenario().warm();
    s.update('node-a', { healthy: false });
    s.replication('node-b', { state: 'disconnected', primaryReachable: false }).sees({ 'node-a': false });
    s.tick().runFor(30_000);
    const c = classify(s.observe());
    expect(s.reportOf(ACTIVE).healthy).toBe(false);
    expect(c.views?.edge).toBe('lost');
    expect(c.reasons).not.toContain('the active endpoint still answers as node-a');
  });

  it('not when its last answer is followed by a failure', () => {
    const { s } = primaryCrash();
    s.recover(ACTIVE).tick(1000).fail(ACTIVE).runFor(30_000);
    expect(classify(s.observe()).views?.edge).toBe('lost');
  });
});

describe('split brain and stale primaries', () => {
  it('two nodes reporting primary at the same epoch: split_brain, never lost', () => {
    const s = storeScenario().warm();
    s.answer('node-b', primaryReport('node-b', 3)).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('split_brain');
    expect(c.reasons[0]).toBe('split brain: node-a and node-b both report primary at epoch 3; no automatic promotion');
    expect(c.primaryLost).toBe(false);
    expect(c.primaryServing).toBe(false);
    expect(c.primary).toBe('node-a');
  });

  it('split brain with no known primary names none', () => {
    const s = storeScenario().warm().withKnownPrimary(null);
    s.answer('node-b', primaryReport('node-b', 3)).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('split_brain');
    expect(c.primary).toBeNull();
  });

  it('a split brain seen only through a fresh push still counts', () => {
    const s = storeScenario().warm();
    s.fail('node-b')
      .tick()
      .tick(1000)
      .push('node-b', { report: primaryReport('node-b', 3) });
    expect(classify(s.observe()).status).toBe('split_brain');
  });

  it('a primary at an older epoch is stale: reinstate it, not split brain', () => {
    // The monitor issued epoch 4 (a failover to node-b); node-a is back at 3.
    const s = storeScenario().warm().withKnownPrimary('node-b').withEpoch(4);
    s.answer('node-b', primaryReport('node-b', 4)).activeAnswersAs('node-b').tick();
    const c = classify(s.observe());
    expect(c.status).toBe('degraded');
    expect(c.primary).toBe('node-b');
    expect(c.primaryServing).toBe(true);
    expect(c.epoch).toBe(4);
    expect(c.reasons).toEqual([
      'node-a still reports primary at epoch 3, but the store is at epoch 4: reinstate it as a standby',
    ]);
    expect(nodeVerdict(c, 'node-a').needsReinstatement).toBe(true);
    expect(nodeVerdict(c, 'node-b').needsReinstatement).toBe(false);
  });

  it('a known primary at an older epoch with no one serving reads as an epoch mismatch, and holds still', () => {
    // The monitor is at epoch 4; node-a answers healthy as primary at 3, node-b follows 4 as a standby.
    const s = storeScenario().warm().withEpoch(4);
    s.answer('node-b', standbyReport('node-b', 4)).tick();
    const first = classify(s.observe());
    expect(first.status).toBe('primary_down');
    expect(first.reasons[0]).toBe(
      "primary node-a reports epoch 3, below the store's epoch 4, and no other node serves at it",
    );
    expect(first.reasons.join(' ')).not.toMatch(/unhealthy/);
    s.runFor(5000);
    expect(classify(s.observe()).reasons[0]).toBe(first.reasons[0]);
  });

  it('a fenced known primary reads as fenced, not as an unhealthy database', () => {
    const s = storeScenario().warm();
    s.update('node-a', { fenced: true, healthy: false, role: 'unknown' }).tick();
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.reasons[0]).toBe('primary node-a is fenced and no other node serves');
  });

  it('the new primary is found from the reports even when the known primary is the old one', () => {
    const s = storeScenario().warm().withEpoch(4);
    s.answer('node-b', primaryReport('node-b', 4)).activeAnswersAs('node-b').tick();
    const c = classify(s.observe());
    expect(c.primary).toBe('node-b');
    expect(c.status).toBe('degraded');
  });

  it('a fenced node must be reinstated and never counts as a primary', () => {
    const s = storeScenario().warm().withKnownPrimary('node-b');
    s.update('node-a', { fenced: true });
    s.answer('node-b', primaryReport('node-b', 3)).activeAnswersAs('node-b').tick();
    const c = classify(s.observe());
    expect(c.status).toBe('degraded');
    expect(c.primary).toBe('node-b');
    expect(c.reasons).toEqual(['node-a is fenced and must be reinstated as a standby']);
    expect(nodeVerdict(c, 'node-a')).toMatchObject({ role: 'unknown', needsReinstatement: true });
  });
});

describe('a primary that fenced itself (contract section 6)', () => {
  it('stays the store’s primary, is not flagged for reinstatement, and the reason says why it fenced', () => {
    const s = storeScenario().warm();
    s.update('node-a', { fenced: true, selfFenced: true }).tick();
    const c = classify(s.observe());
    expect(c.primary).toBe('node-a');
    expect(c.primaryServing).toBe(false);
    expect(nodeVerdict(c, 'node-a')).toMatchObject({ selfFenced: true, needsReinstatement: false });
    expect(c.reasons).toContain('node-a fenced itself: no lease and no standby for 15 s');
  });

  it('must be reinstated once another node was promoted past its epoch', () => {
    const s = storeScenario().warm().withEpoch(4);
    s.update('node-a', { fenced: true, selfFenced: true });
    s.answer('node-b', primaryReport('node-b', 4)).activeAnswersAs('node-b').tick();
    const c = classify(s.observe());
    expect(c.primary).toBe('node-b');
    expect(nodeVerdict(c, 'node-a')).toMatchObject({ selfFenced: true, needsReinstatement: true });
    expect(c.reasons).toContain('node-a fenced itself at epoch 3 and must be reinstated as a standby');
  });
});

describe('degraded reasons', () => {
  function degraded(change: (s: StoreScenario) => void, options: ScenarioOptions = {}) {
    const s = storeScenario(options).warm();
    change(s);
    s.tick().tick(1000);
    return classify(s.observe());
  }

  it('standby unreachable', () => {
    const c = degraded((s) => s.fail('node-b', 'HTTP 502'));
    expect(c.status).toBe('degraded');
    expect(c.reasons).toEqual(['standby node-b unreachable from the edge (HTTP 502)']);
    expect(c.lagSeconds).toBeNull();
    expect(c.primaryServing).toBe(true);
  });

  it('standby unreachable but pushing is not degraded', () => {
    const c = degraded((s) => s.fail('node-b').push('node-b'));
    expect(c.status).toBe('healthy');
    expect(c.lagSeconds).toBe(0.4);
  });

  it('lag over maxLagSeconds', () => {
    const c = degraded((s) => s.replication('node-b', { lagSeconds: 45 }));
    expect(c.status).toBe('degraded');
    expect(c.lagSeconds).toBe(45);
    expect(c.reasons).toEqual(['standby lag 45 s exceeds the 30 s limit']);
  });

  it('lag within a per-store maxLagSeconds', () => {
    const c = degraded((s) => s.replication('node-b', { lagSeconds: 45 }), { failover: { maxLagSeconds: 60 } });
    expect(c.status).toBe('healthy');
  });

  it('lag is rounded to a tenth in the reason', () => {
    const c = degraded((s) => s.replication('node-b', { lagSeconds: 30.26 }));
    expect(c.reasons).toEqual(['standby lag 30.3 s exceeds the 30 s limit']);
  });

  it('replication not streaming', () => {
    const c = degraded((s) => s.replication('node-b', { state: 'catchup', lagSeconds: 120 }));
    expect(c.status).toBe('degraded');
    expect(c.reasons).toEqual(['standby node-b replication is catchup']);
    expect(c.lagSeconds).toBeNull();
  });

  it('replication stopped and the standby cannot reach the primary', () => {
    const c = degraded((s) => s.replication('node-b', { state: 'stopped', primaryReachable: false }));
    expect(c.reasons).toEqual(['standby node-b replication is stopped and it cannot reach the primary']);
  });

  it('a standby reporting no replication at all', () => {
    const c = degraded((s) => s.answer('node-b', standbyReport('node-b', 3, {}, { replication: undefined })));
    expect(c.reasons).toEqual(['standby node-b reports no replication']);
  });

  it('a standby whose database is down', () => {
    const c = degraded((s) => s.update('node-b', { healthy: false }));
    expect(c.reasons).toEqual(['standby node-b reports its database unhealthy']);
  });

  it('active endpoint unreachable', () => {
    const c = degraded((s) => s.fail(ACTIVE, 'connection refused'));
    expect(c.status).toBe('degraded');
    expect(c.activeReachable).toBe(false);
    expect(c.reasons).toEqual(['active endpoint unreachable from the edge (connection refused)']);
  });

  it('active endpoint answering as a non-primary node', () => {
    const c = degraded((s) => s.activeAnswersAs('node-b'));
    expect(c.reasons).toEqual(['the active endpoint answers as node-b, not as the primary node-a']);
  });

  it('arbiter unreachable', () => {
    const c = degraded((s) => s.fail(ARBITER));
    expect(c.arbiterReachable).toBe(false);
    expect(c.reasons).toEqual(['arbiter unreachable from the edge (timeout after 2000 ms)']);
  });

  it('arbiter unreachable but pushing is not degraded', () => {
    const c = degraded((s) => s.fail(ARBITER).push(ARBITER));
    expect(c.status).toBe('healthy');
    expect(c.arbiterReachable).toBe(false);
  });

  it('arbiter does not see a node', () => {
    const c = degraded((s) => s.sees({ 'node-b': false }));
    expect(c.reasons).toEqual(['the arbiter does not see node-b']);
  });

  it('arbiter not seeing a name that is not a node of the store is ignored', () => {
    const c = degraded((s) => s.sees({ 'node-z': false }));
    expect(c.status).toBe('healthy');
  });

  it('TCP port failing, once confirmed', () => {
    const s = storeScenario({ tcp: true }).warm();
    s.failTcp('node-a', 'connection refused').tick();
    expect(classify(s.observe()).status).toBe('healthy');
    s.tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('degraded');
    expect(c.reasons).toEqual(['database port of node-a refuses TCP connections (connection refused)']);
  });

  it('several problems at once, each with its reason', () => {
    const c = degraded(
      (s) => {
        s.fail('node-c', 'HTTP 502').replication('node-b', { lagSeconds: 45 }).fail(ARBITER).failTcp('node-a');
      },
      { nodes: ['node-a', 'node-b', 'node-c'], tcp: true },
    );
    expect(c.status).toBe('degraded');
    expect(c.reasons).toEqual([
      'standby node-c unreachable from the edge (HTTP 502)',
      'standby lag 45 s exceeds the 30 s limit',
      'arbiter unreachable from the edge (timeout after 2000 ms)',
      'database port of node-a refuses TCP connections (connection refused)',
    ]);
  });
});

describe('epoch and known primary', () => {
  it('at first contact (no epoch known yet) the store epoch is the highest any node reports', () => {
    const s = storeScenario({ epoch: 3 }).warm();
    s.update('node-b', { epoch: 4 }).tick();
    expect(classify({ ...s.observe(), epoch: null })).toMatchObject({ epoch: 4, epochSeen: true });
  });

  it('after first contact, epochs reported above the store epoch are never adopted, only shown', () => {
    const s = storeScenario({ epoch: 3 }).warm().withEpoch(1);
    const c = classify(s.observe());
    expect(c.epoch).toBe(1);
    expect(c.reasons).toContain('node node-a reports epoch 3, which mirrorwatch never issued');
    expect(c.reasons).toContain('node node-b reports epoch 3, which mirrorwatch never issued');
    expect(c).toMatchObject({ primary: 'node-a', primaryServing: true });
  });

  it("the store epoch is the monitor's own when it is higher (a failover it decided)", () => {
    const s = storeScenario({ epoch: 3 }).warm().withEpoch(4);
    const c = classify({ ...s.observe(), epochInFlight: 4 });
    expect(c.epoch).toBe(4);
    expect(nodeVerdict(c, 'node-a').needsReinstatement).toBe(true);
    expect(c.primaryServing).toBe(false);
  });

  it('a standby following a higher epoch does not raise the store epoch', () => {
    const s = storeScenario().warm();
    s.update('node-b', { epoch: 5 }).tick();
    expect(classify(s.observe()).epoch).toBe(3);
  });

  it('with no failover in flight, every node below the store epoch is an epoch regression', () => {
    const s = storeScenario({ epoch: 3 }).warm().withEpoch(4);
    const c = classify(s.observe());
    expect(c).toMatchObject({ epoch: 4, epochRegression: 3, primary: 'node-a', primaryServing: true });
    expect(nodeVerdict(c, 'node-a').needsReinstatement).toBe(false);
  });

  it('the arbiter epoch does not count', () => {
    const s = storeScenario().warm();
    s.update(ARBITER, { epoch: 9 }).tick();
    expect(classify(s.observe()).epoch).toBe(3);
  });

  it('a report that is no longer fresh does not count', () => {
    const s = storeScenario().warm();
    s.update('node-b', { epoch: 7 }).tick().fail('node-b').tick().tick(1000);
    expect(classify(s.observe()).epoch).toBe(3);
  });

  it('the known primary is named when it stops answering', () => {
    const s = storeScenario().warm().withKnownPrimary('node-a');
    s.fail('node-a').fail(ACTIVE).tick().tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.primary).toBe('node-a');
    expect(nodeVerdict(c, 'node-a')).toMatchObject({ reachable: false, report: null, role: 'unknown' });
    expect(nodeVerdict(c, 'node-a').lastSeenAt).toBe(s.now - 6000);
  });

  it('with no known primary and none answering: primary_down, no views', () => {
    const s = storeScenario().warm().withKnownPrimary(null);
    s.fail('node-a').fail(ACTIVE).tick().tick(1000);
    const c = classify(s.observe());
    expect(c.status).toBe('primary_down');
    expect(c.primary).toBeNull();
    expect(c.reasons[0]).toBe('no node reports itself primary');
    expect(c.views).toBeNull();
    expect(c.primaryLost).toBe(false);
  });
});

describe('hand-written histories', () => {
  it('classify works on observations built without the scenario', () => {
    const s = storeScenario().warm();
    const obs = s.observe();
    const t = obs.now;
    const lost = {
      ...obs,
      nodes: obs.nodes.map((n) =>
        n.id === 'node-a'
          ? {
              ...n,
              http: historyOf(okProbe(t - 40_000, primaryReport('node-a')), failedProbe(t - 35_000), failedProbe(t)),
            }
          : {
              ...n,
              http: historyOf(
                okProbe(t, standbyReport('node-b', 3, { state: 'disconnected', primaryReachable: false })),
              ),
            },
      ),
      active: historyOf(failedProbe(t - 1000), failedProbe(t)),
      arbiter: { http: historyOf(okProbe(t, arbiterReport({ 'node-a': false, 'node-b': true }))), pushed: null },
    };
    const c = classify(lost);
    // The loss clock starts at the last answer, at most half a threshold before the first failure.
    expect(c.primaryDownSince).toBe(t - 40_000);
    expect(c.primaryLost).toBe(true);
    expect(c.views).toEqual({ edge: 'lost', standby: 'lost', arbiter: 'lost' });
  });
});

describe('when the loss clock starts', () => {
  it('a slow cadence credits at most half a threshold before the first failed probe', () => {
    const s = storeScenario().warm();
    const t = s.observe().now;
    const obs = s.observe();
    const slow = {
      ...obs,
      nodes: obs.nodes.map((n) =>
        n.id === 'node-a'
          ? {
              ...n,
              http: historyOf(okProbe(t - 300_000, primaryReport('node-a')), failedProbe(t - 1000), failedProbe(t)),
            }
          : n,
      ),
      active: historyOf(failedProbe(t - 1000), failedProbe(t)),
    };
    expect(classify(slow).primaryDownSince).toBe(t - 1000 - 15_000);
  });
});
