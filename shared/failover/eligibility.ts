/**
 * May the store fail over now? Every unmet condition is listed, in words an operator acts on: the
 * HTTP API answers 409 with this list, and alerts quote it.
 *
 * Two kinds of decision:
 * - `auto`: the monitor's own. Needs the loss rule (classify's `primaryLost`, status `primary_down`),
 *   the startup grace, no cooldown, at most one automatic failover per 6 h, no maintenance, and a
 *   target passing every check including the RPO guard. Nothing can be waived.
 * - `operator` (an operator, a signed hook, or the confirmation of a proposed failover): the operator's
 *   judgment replaces the loss rule, nothing else. While the primary still serves it is a *switchover*:
 *   the target must be streaming within the lag limit (the old primary is still fenced first), and
 *   `allowDataLoss` does not apply, since a planned switch never needs to lose data. While the primary
 *   is down, `allowDataLoss` waives the RPO guard and only that. A store unreachable from the edge, a
 *   split brain, the startup grace, maintenance, cooldown, or a missing or unhealthy target always refuse.
 */
import { type Classification, STARTUP_ROUNDS } from '../classify.ts';
import type { StoreObservations } from '../observations.ts';
import { chooseTarget } from './target.ts';
import { duration, seconds } from './words.ts';

/** At most one automatic failover per store in this window. */
export const AUTO_FAILOVER_WINDOW_MS = 6 * 3600 * 1000;

export type DecisionKind = 'auto' | 'operator';

export interface EligibilityInput {
  kind: DecisionKind;
  now: number;
  classification: Classification;
  observations: StoreObservations;
  maintenance: boolean;
  lastFailoverAt: number | null;
  lastAutoFailoverAt: number | null;
  target?: string | undefined;
  allowDataLoss?: boolean | undefined;
}

interface EligibilityBase {
  unmet: string[];
  /** RPO-guard problems set aside by `allowDataLoss` (empty unless `dataLossAllowed`). */
  waived: string[];
  /** The primary to fence first, when one is known. */
  from: string | null;
  /** The primary still serves: a planned switchover rather than a failover. */
  switchover: boolean;
  /** The target's last lag measured while streaming, however old. */
  lagSeconds: number | null;
  /** That reading's byte figure (`replication.lagBytes`), null when the report gave none. */
  lagBytes: number | null;
  /** `allowDataLoss` applied: the RPO guard was not enforced. */
  dataLossAllowed: boolean;
}

/** `target` is the node to promote; when not eligible, the one that was assessed, if any passed. */
export type Eligibility =
  | (EligibilityBase & { eligible: true; target: string })
  | (EligibilityBase & { eligible: false; target: string | null });

function notLost(c: Classification, thresholdSeconds: number): string {
  const views = c.views;
  if (!c.primary || !views) return 'no primary is known, so its loss cannot be confirmed';
  const why: string[] = [];
  if (views.edge === 'up') why.push(`the edge has not failed to reach it for ${seconds(thresholdSeconds)} yet`);
  if (views.standby === 'up') why.push('the standby still reaches it');
  if (views.standby === 'unknown') why.push('no fresh standby report confirms the loss');
  if (views.arbiter === 'up') why.push('the arbiter still sees it');
  return `primary ${c.primary} is not lost: ${why.join(', ') || 'the views disagree'}`;
}

function storeProblems(input: EligibilityInput): string[] {
  const { classification: c, observations: obs, kind, now } = input;
  const policy = obs.config.failover;
  const unmet: string[] = [];
  if (obs.freshRounds < STARTUP_ROUNDS) {
    unmet.push(
      `the monitor is starting: ${obs.freshRounds} of ${STARTUP_ROUNDS} probe rounds collected since it (re)started`,
    );
  }
  if (c.status === 'store_unreachable') {
    unmet.push("the store is unreachable from the edge: not failing over on the edge's view alone");
  } else if (c.status === 'split_brain') {
    const said = c.reasons.find((r) => r.startsWith('split brain'));
    unmet.push(`${said ?? 'split brain: two nodes report primary'}: resolve it by hand first`);
  } else if (c.status === 'unknown' && obs.freshRounds >= STARTUP_ROUNDS) {
    unmet.push('the store status is unknown');
  }
  if (kind === 'auto') {
    if (c.primaryServing) unmet.push(`primary ${c.primary ?? '?'} is serving`);
    else if (c.status === 'primary_down' && !c.primaryLost) unmet.push(notLost(c, policy.thresholdSeconds));
  }
  if (input.maintenance) unmet.push('a maintenance window is active: failover is suspended until it ends');
  if (input.lastFailoverAt !== null && now - input.lastFailoverAt < policy.cooldownSeconds * 1000) {
    unmet.push(
      `cooldown: last failover ${duration(now - input.lastFailoverAt)} ago, ${policy.cooldownSeconds} s required`,
    );
  }
  if (
    kind === 'auto' &&
    input.lastAutoFailoverAt !== null &&
    now - input.lastAutoFailoverAt < AUTO_FAILOVER_WINDOW_MS
  ) {
    unmet.push(`at most one automatic failover per 6 h: the last was ${duration(now - input.lastAutoFailoverAt)} ago`);
  }
  return unmet;
}

export function checkEligibility(input: EligibilityInput): Eligibility {
  const { classification: c, kind } = input;
  const switchover = c.primaryServing;
  const waive = kind === 'operator' && input.allowDataLoss === true && !switchover;
  const unmet = storeProblems(input);
  const choice = chooseTarget({
    now: input.now,
    classification: c,
    observations: input.observations,
    target: input.target,
    waiveLagGuard: waive,
    switchover,
  });
  unmet.push(...choice.unmet);
  const base: EligibilityBase = {
    unmet,
    waived: choice.waived,
    from: c.primary,
    switchover,
    lagSeconds: choice.lagSeconds,
    lagBytes: choice.lagBytes,
    dataLossAllowed: waive,
  };
  return choice.target !== null && unmet.length === 0
    ? { ...base, eligible: true, target: choice.target }
    : { ...base, eligible: false, target: choice.target };
}
