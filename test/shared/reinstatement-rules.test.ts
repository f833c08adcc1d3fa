import { describe, expect, it } from 'vitest';
import { classify } from '#shared/classify.ts';
import {
  autoReinstateTargets,
  markReinstated,
  nextAttemptAt,
  REINSTATE_EVERY_MS,
  REINSTATE_REFUSED_WAIT_MS,
  reinstateRefusals,
} from '#shared/monitor/reinstatement.ts';
import type { Failover } from '#shared/schemas/status.ts';
import { primaryReport, standbyReport, storeScenario } from './support/observations.ts';

/** node-b serves at epoch 4; node-a, the old primary, came back fenced at epoch 3. */
function afterFailover(autoReinstate?: boolean) {
  const s = storeScenario(autoReinstate === undefined ? {} : { failover: { autoReinstate } }).warm();
  s.withEpoch(4).withKnownPrimary('node-b');
  s.answer('node-b', primaryReport('node-b', 4));
  s.activeAnswersAs('node-b');
  s.answer('node-a', { ...primaryReport('node-a', 3), role: 'unknown', healthy: false, fenced: true });
  s.round();
  return s;
}

const record: Failover = {
  id: 'gz-tianhe-f1',
  epoch: 4,
  from: 'node-a',
  to: 'node-b',
  mode: 'auto',
  requestedBy: 'auto',
  reason: 'primary lost',
  state: 'completed',
  detectedAt: null,
  decidedAt: '2026-11-21T05:00:00.000Z',
  completedAt: '2026-11-21T05:00:10.000Z',
  lagSecondsAtDecision: 0.4,
  dataLossAllowed: false,
};

describe('who may be reinstated', () => {
  it('a fenced former primary, while another node serves at the store epoch and no failover runs', () => {
    const s = afterFailover();
    const c = classify(s.observe());
    expect(reinstateRefusals({ classification: c, config: s.config, phase: 'idle', node: 'node-a' })).toEqual([]);
  });

  it('refuses the primary, a node that is not fenced, an unknown node, and while a failover runs, each in words', () => {
    const s = afterFailover();
    const c = classify(s.observe());
    const ask = (node: string, phase: 'idle' | 'promoting' = 'idle') =>
      reinstateRefusals({ classification: c, config: s.config, phase, node });
    expect(ask('node-b')).toEqual([
      'node-b is the primary',
      'node-b is not fenced: only a fenced former primary is reinstated',
    ]);
    expect(ask('node-z')).toEqual(['node-z is not a node of this store']);
    expect(ask('node-a', 'promoting')).toEqual(['a failover is running (promoting): reinstate once it has ended']);
  });

  it('refuses during the startup grace', () => {
    const s = storeScenario().warm(1);
    const unmet = reinstateRefusals({
      classification: classify(s.observe()),
      config: s.config,
      phase: 'idle',
      node: 'node-b',
    });
    expect(unmet[0]).toMatch(/^the store status is unknown/);
  });

  it('refuses when no primary serves at the store epoch, and when the node does not answer the edge', () => {
    const s = afterFailover();
    s.fail('node-b').fail('active').tick().tick();
    s.fail('node-a').tick().tick();
    const c = classify(s.observe());
    const unmet = reinstateRefusals({ classification: c, config: s.config, phase: 'idle', node: 'node-a' });
    expect(unmet[0]).toBe('the store has no serving primary at epoch 4 to follow');
    expect(unmet[1]).toMatch(/^node-a does not answer the edge/);
  });
});

describe('auto-reinstatement', () => {
  it('is off unless failover.autoReinstate is true', () => {
    for (const flag of [undefined, false]) {
      const s = afterFailover(flag);
      expect(autoReinstateTargets(classify(s.observe()), s.config, 'idle', {}, s.now)).toEqual([]);
    }
  });

  it('sends to the fenced former primary, then not again until its last send may be repeated', () => {
    const s = afterFailover(true);
    const c = classify(s.observe());
    expect(autoReinstateTargets(c, s.config, 'idle', {}, s.now)).toEqual(['node-a']);
    const unanswered = nextAttemptAt({ sentAt: s.now, outcome: 'unreachable' });
    expect(unanswered).toBe(s.now + REINSTATE_EVERY_MS);
    expect(autoReinstateTargets(c, s.config, 'idle', { 'node-a': unanswered }, s.now + 1000)).toEqual([]);
    expect(autoReinstateTargets(c, s.config, 'idle', { 'node-a': unanswered }, unanswered)).toEqual(['node-a']);
    // A refusal is an answer: asked again only much later.
    expect(nextAttemptAt({ sentAt: s.now, outcome: 'refused' })).toBe(s.now + REINSTATE_REFUSED_WAIT_MS);
    expect(autoReinstateTargets(c, s.config, 'fencing', {}, s.now)).toEqual([]);
  });

  it('never touches a primary that fenced itself at the store epoch (a lease lifts that, not a rebuild)', () => {
    const s = storeScenario({ failover: { autoReinstate: true } }).warm();
    s.answer('node-a', { ...primaryReport('node-a', 3), fenced: true, selfFenced: true }).round();
    expect(autoReinstateTargets(classify(s.observe()), s.config, 'idle', {}, s.now)).toEqual([]);
  });
});

describe('reinstatedAt and discardedBytes on the record', () => {
  it('are marked once the node streams as a standby at the store epoch, with what its report says it discarded', () => {
    const s = afterFailover(true);
    expect(markReinstated(record, classify(s.observe()), 'now')).toBeNull(); // still fenced
    s.answer('node-a', standbyReport('node-a', 4, {}, { reinstatement: { epoch: 4, discardedBytes: 8192 } })).round();
    const marked = markReinstated(record, classify(s.observe()), '2026-11-21T05:10:00.000Z');
    expect(marked).toMatchObject({ reinstatedAt: '2026-11-21T05:10:00.000Z', discardedBytes: 8192 });
    expect(markReinstated(marked, classify(s.observe()), 'later')).toBeNull(); // once
  });

  it('discardedBytes is null when the report does not say, or speaks of an older reinstatement', () => {
    const s = afterFailover();
    s.answer('node-a', standbyReport('node-a', 4, {}, { reinstatement: { epoch: 2, discardedBytes: 5 } })).round();
    expect(markReinstated(record, classify(s.observe()), 'at')).toMatchObject({
      reinstatedAt: 'at',
      discardedBytes: null,
    });
  });

  it('not while the node catches up, nor at an older epoch, nor for a failover that did not complete', () => {
    const s = afterFailover();
    s.answer('node-a', standbyReport('node-a', 4, { state: 'catchup' })).round();
    expect(markReinstated(record, classify(s.observe()), 'at')).toBeNull();
    s.answer('node-a', standbyReport('node-a', 3)).round();
    expect(markReinstated(record, classify(s.observe()), 'at')).toBeNull();
    s.answer('node-a', standbyReport('node-a', 4)).round();
    expect(markReinstated({ ...record, state: 'failed' }, classify(s.observe()), 'at')).toBeNull();
    expect(markReinstated(record, classify(s.observe()), 'at')).toMatchObject({ reinstatedAt: 'at' });
  });
});
