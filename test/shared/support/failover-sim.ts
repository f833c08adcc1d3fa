/**
 * A simulated store (nodes, arbiter, VIP, WAN, agents) and a simulated StoreMonitor around the REAL
 * `classify` and failover machine. The world produces probe outcomes round by round; the monitor folds
 * them into StoreObservations, classifies, feeds the machine and applies its effects the way the
 * Durable Object must: in order, `persist` written before the next effect, every `send` answered by an
 * `action_answered`. A restart rebuilds the machine from the last persisted JSON.
 *
 * Every transition is checked against invariants computed independently of the machine (ground truth
 * from the world, and a second reading of the rules); a violation throws `SimViolation`.
 */
import { type Classification, classify } from '#shared/classify.ts';
import { nextDueAt, transition } from '#shared/failover/machine.ts';
import {
  type ActionAnsweredEvent,
  type FailoverAction,
  type FailoverEffect,
  type FailoverEvent,
  FailoverMachineState,
  type RequestEvent,
} from '#shared/failover/types.ts';
import { monitorConfigFor } from '#shared/fleet/monitor-config.ts';
import { epochInFlight, type Remembered, remember, storeEpoch } from '#shared/monitor/known-primary.ts';
import { staleFenceTargets } from '#shared/monitor/stale-fence.ts';
import {
  EMPTY_HISTORY,
  type EndpointHistory,
  foldProbe,
  type ProbeOutcome,
  type StoreObservations,
} from '#shared/observations.ts';
import { type FailoverPolicy, FleetConfig, type MonitorConfig } from '#shared/schemas/config.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import type { Failover } from '#shared/schemas/status.ts';

export class SimViolation extends Error {
  override name = 'SimViolation';
}

export const T0 = Date.UTC(2026, 10, 21, 5, 0, 0);
export const STORE = 'st';
const SIX_HOURS = 6 * 3600 * 1000;

/** How a target carries out an accepted promote: in 1.5 s, in 10 s, after the promote timeout, never. */
export type PromoteBehaviour = 'fast' | 'slow' | 'tooLate' | 'never' | 'refuse';
/** How the network treats the actions sent while it is in force. */
export type NetMode = 'ok' | 'dropRequest' | 'loseAnswer' | 'late' | 'duplicate';

export interface SimNodeSpec {
  id: string;
  priority: number;
  role: 'primary' | 'standby';
  lag?: number;
}

export interface SimOptions {
  mode: FailoverPolicy['mode'];
  arbiter: boolean;
  nodes: SimNodeSpec[];
  policy?: Partial<FailoverPolicy>;
  intervalSeconds?: number;
  promote?: PromoteBehaviour;
}

export interface SimNode {
  id: string;
  up: boolean;
  dbHealthy: boolean;
  role: 'primary' | 'standby';
  epoch: number;
  fenced: boolean;
  lag: number;
  /** The edge cannot reach this node (its own path), the rest of the site can. */
  edgeCut: boolean;
  /** Cut from the other nodes and the arbiter, not from the edge. */
  isolated: boolean;
  acceptedKeys: string[];
  promoteAt: number | null;
  promoteEpoch: number;
  /** Became primary through a promote of the machine (the world check looks for a second one). */
  promoted: boolean;
}

export interface Decision {
  at: number;
  record: Failover;
  event: FailoverEvent;
}

export interface LogEntry {
  event: FailoverEvent;
  effects: FailoverEffect[];
}

export type RequestInput = Pick<RequestEvent, 'source' | 'requestedBy' | 'reason' | 'target' | 'allowDataLoss'>;

const TERMINAL = new Set<Failover['state']>(['completed', 'failed', 'aborted']);
const ACTING = new Set<Failover['state']>(['fencing', 'promoting']);

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function fail(message: string): never {
  throw new SimViolation(message);
}

/** The monitor's decisions besides the machine, replaceable by deliberately broken ones. */
export interface MonitorParts {
  fencer?: typeof staleFenceTargets;
  remember?: (previous: Remembered, c: Classification) => Remembered;
}

export class Sim {
  readonly config: MonitorConfig;
  readonly promote: PromoteBehaviour;
  now = T0;
  readonly nodes: SimNode[];
  wanDown = false;
  arbiterUp: boolean;
  maintenance = false;
  net: NetMode = 'ok';

  // The monitor's memory (lost on restart) and storage (kept).
  state: FailoverMachineState;
  persisted: string;
  readonly records = new Map<string, Failover>();
  knownPrimary: string | null = null;
  /** The store epoch the monitor remembers (kept in storage): null before first contact. */
  epochMemory: number | null = null;
  freshRounds = 0;
  histories = new Map<string, EndpointHistory>();
  lastLag = new Map<string, { at: number; lagSeconds: number }>();
  lateAnswers: Array<{ at: number; event: ActionAnsweredEvent }> = [];
  /** Crash the monitor at the next `send` of this action, after the `persist` before it. */
  crashAt: FailoverAction | null = null;

  // The test's record of everything, kept across restarts.
  readonly log: LogEntry[] = [];
  readonly decisions: Decision[] = [];
  readonly promoteKeys = new Map<number, string>();
  readonly replies: FailoverEffect[] = [];
  lastObservations: StoreObservations | null = null;
  restarts = 0;

  /** The machine under test: the real one, or a deliberately broken one to prove the checks bite. */
  readonly machine: typeof transition;
  readonly fencer: typeof staleFenceTargets;
  readonly remember: (previous: Remembered, c: Classification) => Remembered;
  /** The stale-primary fencer's memory (lost on restart). */
  fencedAt: Record<string, number> = {};
  /** The store epoch adopted at first contact, and when each epoch last had a node serving it (world truth). */
  firstContactEpoch: number | null = null;
  readonly servedAt = new Map<number, number>();
  /** Counters showing the schedules reach the stale fencer and epoch regressions at all. */
  staleFences = 0;
  regressionRounds = 0;
  /** Failovers whose old primary accepted its fence, as answered to the machine. */
  readonly fenceAccepted = new Set<string>();

  constructor(
    options: SimOptions,
    initial: FailoverMachineState,
    machine: typeof transition = transition,
    parts: MonitorParts = {},
  ) {
    this.machine = machine;
    this.fencer = parts.fencer ?? staleFenceTargets;
    this.remember = parts.remember ?? remember;
    const fleet = FleetConfig.parse({
      version: 1,
      // No leases here: this simulation proves the machine's own rules with the promote gate open, which
      // is what `selfFence: false` means (the leases are proved in lease-properties.test.ts). The lease
      // rule holds with self-fencing off too: 1 s + the 1 s interval + 0.5 s stays under the 3 s threshold.
      defaults: {
        intervalSeconds: options.intervalSeconds ?? 1,
        timeoutMs: 500,
        failover: { mode: options.mode, selfFence: false, leaseSeconds: 1, ...options.policy },
      },
      stores: [
        {
          id: STORE,
          name: 'Simulated store',
          activeEndpoint: 'http://st-vip.example:8008',
          ...(options.arbiter ? { arbiter: { url: 'http://st-arb.example:8008' } } : {}),
          nodes: options.nodes.map((n) => ({ id: n.id, url: `http://${n.id}.example:8008`, priority: n.priority })),
        },
      ],
    });
    const store = fleet.stores[0];
    if (!store) throw new Error('the simulated fleet has no store');
    this.config = monitorConfigFor(fleet, store);
    this.promote = options.promote ?? 'fast';
    this.arbiterUp = options.arbiter;
    this.nodes = options.nodes.map((n) => ({
      id: n.id,
      up: true,
      dbHealthy: true,
      role: n.role,
      epoch: 1,
      fenced: false,
      lag: n.lag ?? 0.5,
      edgeCut: false,
      isolated: false,
      acceptedKeys: [],
      promoteAt: null,
      promoteEpoch: 0,
      promoted: false,
    }));
    this.state = initial;
    this.persisted = JSON.stringify(initial);
  }

  node(id: string): SimNode {
    const n = this.nodes.find((x) => x.id === id);
    if (!n) throw new Error(`no simulated node ${id}`);
    return n;
  }

  /** The node the VIP points at and standbys follow: a live, unfenced primary at the highest epoch. */
  upstream(): SimNode | null {
    let best: SimNode | null = null;
    for (const n of this.nodes) {
      if (n.up && n.role === 'primary' && !n.fenced && (!best || n.epoch > best.epoch)) best = n;
    }
    return best;
  }

  // --- the world -----------------------------------------------------------------------------

  private reportOf(n: SimNode): AgentReport {
    const report: AgentReport = { node: n.id, role: n.role, epoch: n.epoch, healthy: n.dbHealthy, time: iso(this.now) };
    if (n.fenced) report.fenced = true;
    if (n.role === 'standby') {
      const p = this.upstream();
      const reach = p !== null && p.id !== n.id && !p.isolated && !n.isolated;
      report.replication =
        reach && p.dbHealthy && n.dbHealthy
          ? { state: 'streaming', primaryReachable: true, lagSeconds: n.lag }
          : { state: 'disconnected', primaryReachable: reach, lagSeconds: null };
    }
    return report;
  }

  private probe(report: AgentReport | null): ProbeOutcome {
    return report
      ? { at: this.now, ok: true, latencyMs: 12, report, error: null }
      : { at: this.now, ok: false, latencyMs: null, report: null, error: 'timeout after 2000 ms' };
  }

  private reachable(n: SimNode): boolean {
    return !this.wanDown && n.up && !n.edgeCut;
  }

  private fold(key: string, outcome: ProbeOutcome): EndpointHistory {
    const h = foldProbe(this.histories.get(key) ?? EMPTY_HISTORY, outcome);
    this.histories.set(key, h);
    return h;
  }

  private observe(): StoreObservations {
    const nodes = this.nodes.map((n) => {
      const report = this.reachable(n) ? this.reportOf(n) : null;
      const http = this.fold(n.id, this.probe(report));
      const lag = report?.replication?.lagSeconds;
      if (report?.replication?.state === 'streaming' && typeof lag === 'number') {
        this.lastLag.set(n.id, { at: this.now, lagSeconds: lag });
      }
      return { id: n.id, http, tcp: null, pushed: null, lastStreamingLag: this.lastLag.get(n.id) ?? null };
    });
    const vip = this.upstream();
    const active = this.fold('active', this.probe(vip && this.reachable(vip) ? this.reportOf(vip) : null));
    let arbiter: StoreObservations['arbiter'] = null;
    if (this.config.store.arbiter) {
      const sees = Object.fromEntries(this.nodes.map((n) => [n.id, n.up && !n.isolated]));
      const report: AgentReport | null =
        !this.wanDown && this.arbiterUp
          ? { node: 'arb', role: 'arbiter', epoch: 0, healthy: true, time: iso(this.now), sees }
          : null;
      arbiter = { http: this.fold('arbiter', this.probe(report)), pushed: null };
    }
    return {
      now: this.now,
      config: this.config,
      freshRounds: this.freshRounds,
      nodes,
      active,
      arbiter,
      knownPrimary: this.knownPrimary,
      epoch: storeEpoch(this.epochMemory, this.state.epoch),
      epochInFlight: epochInFlight(this.state),
    };
  }

  private applyPromotions(): void {
    for (const n of this.nodes) {
      if (n.promoteAt !== null && this.now >= n.promoteAt && n.up) {
        n.role = 'primary';
        n.epoch = n.promoteEpoch;
        n.fenced = false;
        n.promoteAt = null;
        n.promoted = true;
      }
    }
  }

  /** The agent's side of docs/PROTOCOL.md section 5: idempotent by key, refuses an epoch not above its own. */
  private agent(
    n: SimNode,
    s: Extract<FailoverEffect, { type: 'send' }>,
  ): { outcome: 'accepted' | 'refused'; detail: string } {
    if (n.acceptedKeys.includes(s.idempotencyKey)) return { outcome: 'accepted', detail: 'duplicate' };
    if (s.epoch <= n.epoch) return { outcome: 'refused', detail: `epoch ${s.epoch} is not above ${n.epoch}` };
    if (s.action === 'fence') {
      n.fenced = true;
      n.acceptedKeys.push(s.idempotencyKey);
      return { outcome: 'accepted', detail: '' };
    }
    if (this.promote === 'refuse') return { outcome: 'refused', detail: 'database not ready to promote' };
    n.acceptedKeys.push(s.idempotencyKey);
    if (this.promote !== 'never') {
      const late = this.config.failover.promoteTimeoutSeconds * 1000 + 5000;
      const delay = this.promote === 'fast' ? 1500 : this.promote === 'slow' ? 10_000 : late;
      n.promoteAt = this.now + delay;
      n.promoteEpoch = s.epoch;
    }
    return { outcome: 'accepted', detail: '' };
  }

  private deliver(s: Extract<FailoverEffect, { type: 'send' }>, queue: FailoverEvent[]): void {
    const answer = (outcome: ActionAnsweredEvent['outcome'], detail: string): ActionAnsweredEvent => ({
      type: 'action_answered',
      now: this.now,
      failoverId: s.failoverId,
      action: s.action,
      node: s.node,
      outcome,
      detail,
    });
    const n = this.node(s.node);
    if (!this.reachable(n) || this.net === 'dropRequest') {
      queue.push(answer('unreachable', 'timeout after 2000 ms'));
      return;
    }
    const real = this.agent(n, s);
    if (this.net === 'loseAnswer') queue.push(answer('unreachable', 'timeout after 2000 ms'));
    else if (this.net === 'late') {
      queue.push(answer('unreachable', 'timeout after 2000 ms'));
      this.lateAnswers.push({ at: this.now + 2000, event: answer(real.outcome, real.detail) });
    } else {
      queue.push(answer(real.outcome, real.detail));
      if (this.net === 'duplicate') queue.push(answer(real.outcome, real.detail));
    }
  }

  // --- the monitor ---------------------------------------------------------------------------

  /** One probe round at `now`, then the clock moves on by a second. */
  round(): void {
    this.applyPromotions();
    const late = this.lateAnswers.filter((l) => l.at <= this.now);
    this.lateAnswers = this.lateAnswers.filter((l) => l.at > this.now);
    for (const l of late) this.feed({ ...l.event, now: this.now });
    for (let i = 0; i < 5; i++) {
      const due = nextDueAt(this.state);
      if (due === null || due > this.now) break;
      this.feed({ type: 'timer', now: this.now });
    }
    this.freshRounds += 1;
    const observations = this.observe();
    const classification = classify(observations);
    const memory = this.remember({ knownPrimary: this.knownPrimary, epoch: this.epochMemory }, classification);
    this.knownPrimary = memory.knownPrimary;
    this.epochMemory = memory.epoch;
    this.firstContactEpoch ??= memory.epoch;
    this.checkEpoch();
    this.lastObservations = observations;
    this.feed({ type: 'observed', now: this.now, classification, observations, maintenance: this.maintenance });
    this.fenceStale(classification);
    this.checkWorld();
    this.now += 1000;
  }

  run(seconds: number): void {
    for (let i = 0; i < seconds; i++) this.round();
  }

  /** A request against the latest observations; returns its `reply` effect. */
  request(input: RequestInput): Extract<FailoverEffect, { type: 'reply' }> {
    const reply = this.tryRequest(input);
    if (!reply) throw new Error('the monitor crashed while handling the request');
    return reply;
  }

  /** As `request`, but null when the monitor crashed before it could answer (the caller saw an error). */
  tryRequest(input: RequestInput): Extract<FailoverEffect, { type: 'reply' }> | null {
    const observations = this.lastObservations;
    if (!observations) throw new Error('request before any probe round');
    const classification = classify({
      ...observations,
      now: this.now,
      epoch: storeEpoch(this.epochMemory, this.state.epoch),
      epochInFlight: epochInFlight(this.state),
    });
    const before = this.replies.length;
    const restarts = this.restarts;
    this.feed({
      type: 'request',
      now: this.now,
      ...input,
      classification,
      observations,
      maintenance: this.maintenance,
    });
    const reply = this.replies[before];
    if (this.replies.length > before + 1) return fail('a request got more than one reply');
    if (reply?.type === 'reply') return reply;
    return this.restarts > restarts ? null : fail('a request got no reply effect');
  }

  /** The object is evicted: memory is lost, storage (the persisted JSON) survives. */
  restart(): void {
    this.restarts += 1;
    this.state = FailoverMachineState.parse(JSON.parse(this.persisted));
    this.freshRounds = 0;
    this.histories = new Map();
    this.lastLag = new Map();
    this.fencedAt = {};
    this.feed({ type: 'restarted', now: this.now });
  }

  /** Runs the machine with no further faults or requests until it is idle and nothing is pending. */
  settle(maxSeconds = 200): void {
    let idle = 0;
    for (let i = 0; i < maxSeconds && idle < 5; i++) {
      this.round();
      idle = this.state.phase === 'idle' && this.lateAnswers.length === 0 ? idle + 1 : 0;
    }
    if (this.state.phase !== 'idle') fail(`still ${this.state.phase} after ${maxSeconds} s without new faults`);
    for (const r of this.records.values()) {
      if (!TERMINAL.has(r.state)) fail(`failover ${r.id} ended the run in state ${r.state}`);
    }
  }

  feed(first: FailoverEvent): void {
    const queue: FailoverEvent[] = [first];
    for (let event = queue.shift(); event; event = queue.shift()) {
      if (event.type === 'action_answered' && event.action === 'fence' && event.outcome === 'accepted') {
        this.fenceAccepted.add(event.failoverId);
      }
      const before = this.state;
      const t = this.machine(before, event);
      this.log.push({ event, effects: t.effects });
      if (t.state.epoch < before.epoch) fail(`epoch went down from ${before.epoch} to ${t.state.epoch}`);
      this.state = t.state;
      if (!this.apply(event, t.effects, queue)) {
        this.restart();
        return;
      }
      this.persisted = JSON.stringify(t.state);
    }
  }

  /** Applies effects in order; false when the monitor crashed part way (at a send). */
  private apply(event: FailoverEvent, effects: FailoverEffect[], queue: FailoverEvent[]): boolean {
    for (const fx of effects) {
      switch (fx.type) {
        case 'persist':
          this.onPersist(event, fx.failover);
          this.persisted = JSON.stringify(this.state);
          break;
        case 'send':
          this.checkSend(fx);
          if (this.crashAt === fx.action) {
            this.crashAt = null;
            this.lateAnswers = [];
            return false;
          }
          this.deliver(fx, queue);
          break;
        case 'reply':
          this.replies.push(fx);
          break;
        case 'notify':
        case 'event':
          break;
      }
    }
    return true;
  }

  // --- invariants ----------------------------------------------------------------------------

  private onPersist(event: FailoverEvent, record: Failover): void {
    const previous = this.records.get(record.id);
    if (previous && TERMINAL.has(previous.state)) fail(`failover ${record.id} changed after it ended`);
    if (ACTING.has(record.state) && !(previous && ACTING.has(previous.state))) this.checkDecision(event, record);
    if (record.state === 'completed') {
      const n = this.node(record.to);
      if (n.role !== 'primary' || n.epoch < record.epoch) {
        fail(`failover ${record.id} completed but ${n.id} is ${n.role} at epoch ${n.epoch}`);
      }
    }
    this.records.set(record.id, record);
  }

  /** A second reading of the rules, applied to the view the machine decided on. */
  private checkDecision(event: FailoverEvent, record: Failover): void {
    if (event.type !== 'observed' && event.type !== 'request') fail(`failover ${record.id} decided on ${event.type}`);
    const c = event.classification;
    const obs = event.observations;
    const policy = obs.config.failover;
    const at = event.now;
    const why = `failover ${record.id} (${record.mode}) decided at +${(at - T0) / 1000} s`;
    if (c.status === 'store_unreachable' || c.status === 'split_brain' || c.status === 'unknown') {
      fail(`${why} while the store was ${c.status}`);
    }
    if (this.wanDown) fail(`${why} while the store's WAN link was down`);
    if (obs.freshRounds < 3) fail(`${why} after only ${obs.freshRounds} rounds`);
    if (event.maintenance) fail(`${why} during maintenance`);
    const target = obs.config.store.nodes.find((n) => n.id === record.to);
    if (!target || target.priority === 0 || record.to === c.primary)
      fail(`${why}: target ${record.to} is not eligible`);
    if (record.dataLossAllowed && event.type === 'request' && event.source === 'hook') {
      fail(`${why}: a signed hook waived the lag guard`);
    }
    if (record.dataLossAllowed) {
      if (event.type !== 'request' || event.allowDataLoss !== true || c.primaryServing) {
        fail(`${why}: data loss allowed without an operator's allowDataLoss on a down primary`);
      }
    } else {
      const lag = obs.nodes.find((n) => n.id === record.to)?.lastStreamingLag;
      // Fresh at the moment the loss was confirmed (now, for a switchover).
      const threshold = policy.thresholdSeconds * 1000;
      const maxAge = threshold + Math.max(3 * obs.config.intervalSeconds * 1000, 15_000);
      const down = c.primaryServing ? null : c.primaryDownSince;
      const reference = down === null ? at : Math.min(at, down + threshold);
      if (!lag || reference - lag.at > maxAge || lag.lagSeconds > policy.maxLagSeconds) {
        fail(`${why} without the lag guard met (lag ${JSON.stringify(lag)})`);
      }
    }
    const prior = this.decisions.filter((d) => d.at > at - policy.cooldownSeconds * 1000);
    if (prior.length > 0) fail(`${why} inside the cooldown after ${prior[0]?.record.id}`);
    if (record.mode === 'auto') {
      if (event.type !== 'observed' || !c.primaryLost || c.status !== 'primary_down') {
        fail(`${why} without the primary lost`);
      }
      const auto = this.decisions.find((d) => d.record.mode === 'auto' && d.at > at - SIX_HOURS);
      if (auto) fail(`${why}: a second automatic failover within 6 h (after ${auto.record.id})`);
    }
    for (const d of this.decisions) {
      if (d.record.epoch >= record.epoch) fail(`${why} at epoch ${record.epoch}, not above ${d.record.id}'s`);
    }
    for (const r of this.records.values()) {
      if (r.id !== record.id && ACTING.has(r.state)) fail(`${why} while ${r.id} is still ${r.state}`);
    }
    this.decisions.push({ at, record, event });
  }

  private checkSend(s: Extract<FailoverEffect, { type: 'send' }>): void {
    const record = this.records.get(s.failoverId);
    if (!record || record.epoch !== s.epoch || !ACTING.has(record.state)) {
      fail(`send ${s.action} for ${s.failoverId} at epoch ${s.epoch} before its record was persisted`);
    }
    const stored = FailoverMachineState.parse(JSON.parse(this.persisted));
    if (stored.epoch < s.epoch) fail(`send at epoch ${s.epoch} before the epoch was persisted`);
    if (s.idempotencyKey !== `${STORE}:${s.epoch}:${s.action}:${s.node}`)
      fail(`bad idempotency key ${s.idempotencyKey}`);
    if (s.action === 'promote') {
      if (s.node !== record.to) fail(`promote sent to ${s.node}, the failover's target is ${record.to}`);
      const decided = this.decisions.find((d) => d.record.id === record.id);
      const switchover = decided?.event.type === 'request' && decided.event.classification.primaryServing;
      if (switchover && !this.fenceAccepted.has(record.id)) {
        fail(`promote in switchover ${record.id} before ${record.from ?? '?'} accepted its fence`);
      }
      const key = this.promoteKeys.get(s.epoch);
      if (key !== undefined && key !== s.idempotencyKey)
        fail(`two promotions for epoch ${s.epoch}: ${key}, ${s.idempotencyKey}`);
      this.promoteKeys.set(s.epoch, s.idempotencyKey);
    } else if (s.node !== record.from) {
      fail(`fence sent to ${s.node}, the failover's old primary is ${record.from}`);
    }
  }

  /** The stale-primary fencer, applied to the world; never while no node serves at the store epoch. */
  private fenceStale(c: Classification): void {
    if (c.epochRegression !== null) this.regressionRounds += 1;
    for (const n of this.nodes) {
      if (n.up && n.role === 'primary' && !n.fenced && n.dbHealthy) this.servedAt.set(n.epoch, this.now);
    }
    for (const id of this.fencer(c, this.fencedAt, this.now)) {
      // Ground truth, with the slack of a confirmed failure (two rounds) for a primary that just died.
      const served = this.servedAt.get(c.epoch);
      if (served === undefined || this.now - served > 2000) {
        fail(
          `stale-primary fence to ${id} at +${(this.now - T0) / 1000} s while no node serves at the store epoch ${c.epoch}`,
        );
      }
      this.fencedAt[id] = this.now;
      this.staleFences += 1;
      const n = this.node(id);
      if (this.reachable(n) && c.epoch > n.epoch) n.fenced = true;
    }
  }

  /** After first contact, the store epoch only moves by a failover the machine issued. */
  private checkEpoch(): void {
    if (this.firstContactEpoch === null || this.epochMemory === null) return;
    const issued = Math.max(this.state.epoch, ...this.decisions.map((d) => d.record.epoch));
    if (this.epochMemory > Math.max(this.firstContactEpoch, issued)) {
      fail(
        `the store epoch became ${this.epochMemory}, which the monitor never issued (first contact ${this.firstContactEpoch}, issued ${issued})`,
      );
    }
  }

  private checkWorld(): void {
    const primaries = this.nodes.filter((n) => n.up && n.role === 'primary' && !n.fenced);
    for (const a of primaries) {
      for (const b of primaries) {
        if (a !== b && a.promoted && a.epoch === b.epoch) fail(`${a.id} and ${b.id} both primary at epoch ${a.epoch}`);
      }
    }
  }

  // --- reading the log -----------------------------------------------------------------------

  /** The effects of one type, in order, from log entry `from` on. */
  effects<T extends FailoverEffect['type']>(type: T, from = 0): Array<Extract<FailoverEffect, { type: T }>> {
    return this.log
      .slice(from)
      .flatMap((l) => l.effects.filter((e): e is Extract<FailoverEffect, { type: T }> => e.type === type));
  }

  /** Every failover record as persisted, in order. */
  persists(from = 0): Failover[] {
    return this.effects('persist', from).map((p) => p.failover);
  }
}
