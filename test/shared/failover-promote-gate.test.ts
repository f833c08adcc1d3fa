/**
 * The failover machine under a shut promote gate (contract section 6): the machine holds the
 * promote of a failover until the gate the monitor computes opens or the old primary accepts its
 * fence, and ends the failover without a promote when the gate never opens.
 */
import { describe, expect, it } from 'vitest';
import { FENCE_WAIT_MS, nextDueAt, transition } from '#shared/failover/machine.ts';
import type { FailoverEffect, FailoverMachineState, GateVerdict } from '#shared/failover/types.ts';
import { iso } from '#shared/iso-time.ts';
import { idempotencyKeyFor } from '#shared/schemas/action.ts';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const PROMOTE_TIMEOUT_MS = 120_000;
const GATE_WAIT_MS = 20_000;
const SHUT: GateVerdict = { open: false, notBefore: T0 + 18_000, reason: 'a may hold its last lease for 18.0 s more' };
const OPEN: GateVerdict = { open: true, reason: 'a has had neither a lease nor a standby reply long enough' };

function fencing(fenceFirst = false): FailoverMachineState {
  const action = (kind: 'fence' | 'promote', node: string, status: 'in_flight' | 'planned') => ({
    action: kind,
    node,
    idempotencyKey: idempotencyKeyFor({ store: 's', epoch: 2, action: kind, node }),
    attempts: status === 'in_flight' ? 1 : 0,
    status,
    retryAt: null,
    detail: null,
  });
  return {
    phase: 'fencing',
    epoch: 2,
    seq: 1,
    lastFailoverAt: T0,
    lastAutoFailoverAt: T0,
    loss: { since: T0 - 30_000, alerted: false, proposed: false },
    maintenance: false,
    current: {
      id: 's-f1',
      epoch: 2,
      from: 'a',
      to: 'b',
      mode: 'auto',
      requestedBy: 'auto',
      reason: 'primary a lost',
      state: 'fencing',
      detectedAt: iso(T0 - 30_000),
      decidedAt: iso(T0),
      completedAt: null,
      lagSecondsAtDecision: 0,
      dataLossAllowed: false,
      error: null,
    },
    actions: [action('fence', 'a', 'in_flight'), action('promote', 'b', 'planned')],
    proceedAt: T0 + FENCE_WAIT_MS,
    fenceFirst,
    deadline: T0 + PROMOTE_TIMEOUT_MS + (fenceFirst ? 0 : GATE_WAIT_MS),
    promoteTimeoutMs: PROMOTE_TIMEOUT_MS,
    gateHeldAt: null,
  };
}

const promotes = (fx: FailoverEffect[]) => fx.filter((e) => e.type === 'send' && e.action === 'promote');
const unanswered = (now: number) =>
  ({
    type: 'action_answered',
    now,
    failoverId: 's-f1',
    action: 'fence',
    node: 'a',
    outcome: 'unreachable',
    detail: 'no answer within 2000 ms',
  }) as const;

describe('the promote gate in the failover machine', () => {
  it('holds the promote of an unanswered fence while the gate is shut, then sends it once it opens', async () => {
    let t = transition(fencing(), unanswered(T0 + 2000), SHUT);
    expect(promotes(t.effects)).toEqual([]);
    expect(t.effects.some((e) => e.type === 'event' && e.message.startsWith('promote of b held until a'))).toBe(true);
    t = transition(t.state, { type: 'timer', now: T0 + FENCE_WAIT_MS }, SHUT);
    expect(promotes(t.effects)).toEqual([]);
    expect(t.state).toMatchObject({ phase: 'fencing', gateHeldAt: T0 + 2000 });
    // Held: the machine waits for the next round's gate, not for a timer already past.
    expect(nextDueAt(t.state)).toBeGreaterThan(T0 + FENCE_WAIT_MS);

    const opensAt = T0 + 19_000;
    t = transition(t.state, { type: 'timer', now: opensAt }, OPEN);
    expect(promotes(t.effects)).toHaveLength(1);
    // `promoteTimeoutSeconds` counts from the promote, not from the decision.
    expect(t.state).toMatchObject({ phase: 'promoting', deadline: opensAt + PROMOTE_TIMEOUT_MS });
  });

  it('promotes at once when the old primary accepted its fence, whatever the gate says', async () => {
    const accepted = { ...unanswered(T0 + 500), outcome: 'accepted' as const, detail: 'HTTP 202' };
    const t = transition(fencing(), accepted, SHUT);
    expect(promotes(t.effects)).toHaveLength(1);
  });

  it('ends the failover failed, with the gate’s reason and no promote, when the gate never opens', async () => {
    let t = transition(fencing(), unanswered(T0 + 2000), SHUT);
    const effects: FailoverEffect[] = [...t.effects];
    for (let now = T0 + 3000; now <= T0 + PROMOTE_TIMEOUT_MS + GATE_WAIT_MS; now += 1000) {
      t = transition(t.state, { type: 'timer', now }, SHUT);
      effects.push(...t.effects);
    }
    expect(promotes(effects)).toEqual([]);
    expect(t.state.phase).toBe('idle');
    expect(t.state.current).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/promote gate never opened/),
    });
  });

  it('leaves a switchover to its fence: the gate neither holds nor opens it', async () => {
    const accepted = { ...unanswered(T0 + 500), outcome: 'accepted' as const, detail: 'HTTP 202' };
    expect(promotes(transition(fencing(true), accepted, SHUT).effects)).toHaveLength(1);
    const t = transition(fencing(true), unanswered(T0 + 500), OPEN);
    expect(promotes(t.effects)).toEqual([]);
  });
});
