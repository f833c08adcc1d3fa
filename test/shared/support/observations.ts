/**
 * A small simulator of what a StoreMonitor sees, for tests of the pure decision functions.
 *
 * Every endpoint of a store (each node, the active endpoint, the arbiter, and each node's TCP port
 * when configured) has a current behaviour: answer with a report, or fail with an error. `round()`
 * probes every endpoint once at the scenario's clock and folds the outcomes with the real
 * `foldProbe`, so streaks, `failingSince` and `unhealthySince` are built exactly as the monitor
 * builds them; `observe()` hands back the `StoreObservations` the decision functions take.
 *
 *   const s = storeScenario().warm();          // node-a primary, node-b streaming, arbiter, 3 rounds
 *   s.fail('node-a').fail('active').tick();    // the primary dies; first failed round
 *   s.runFor(30_000);                          // 30 s of 1 s rounds
 *   classify(s.observe());
 *
 * The low-level builders (`primaryReport`, `okProbe`, `historyOf`, …) are exported for tests that
 * want to write a history by hand.
 */

import { monitorConfigFor } from '#shared/fleet/monitor-config.ts';
import {
  EMPTY_HISTORY,
  type EndpointHistory,
  foldProbe,
  type ProbeOutcome,
  type PushedReport,
  type StoreObservations,
} from '#shared/observations.ts';
import {
  type FailoverOverride,
  FleetConfig,
  type FleetConfigInput,
  type MonitorConfig,
} from '#shared/schemas/config.ts';
import type { AgentReport } from '#shared/schemas/report.ts';

/** The scenarios' epoch of time: 2026-11-21T05:00:00.000Z. */
export const T0 = Date.parse('2026-11-21T05:00:00.000Z');

export const ACTIVE = 'active';
export const ARBITER = 'arbiter';
/** A node id, `ACTIVE` or `ARBITER`. */
export type Endpoint = string;

export type Replication = NonNullable<AgentReport['replication']>;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function primaryReport(node: string, epoch = 3, patch: Partial<AgentReport> = {}): AgentReport {
  return { node, role: 'primary', epoch, healthy: true, time: iso(T0), ...patch };
}

export function standbyReport(
  node: string,
  epoch = 3,
  replication: Partial<Replication> = {},
  patch: Partial<AgentReport> = {},
): AgentReport {
  return {
    node,
    role: 'standby',
    epoch,
    healthy: true,
    time: iso(T0),
    replication: { state: 'streaming', primaryReachable: true, lagSeconds: 0.4, ...replication },
    ...patch,
  };
}

export function arbiterReport(sees: Record<string, boolean>, epoch = 3, name = 'arbiter-1'): AgentReport {
  return { node: name, role: 'arbiter', epoch, healthy: true, time: iso(T0), sees };
}

export function okProbe(at: number, report: AgentReport | null, latencyMs = 12): ProbeOutcome {
  return { at, ok: true, latencyMs, report, error: null };
}

export function failedProbe(at: number, error = 'timeout after 2000 ms'): ProbeOutcome {
  return { at, ok: false, latencyMs: null, report: null, error };
}

/** Folds probes, oldest first, into a history, as the monitor does. */
export function historyOf(...probes: ProbeOutcome[]): EndpointHistory {
  return probes.reduce(foldProbe, EMPTY_HISTORY);
}

export interface ScenarioOptions {
  storeId?: string;
  /** Node ids, in config order; 2..9. Default `['node-a', 'node-b']`. */
  nodes?: string[];
  /** The node serving as primary at the start; default the first. The others stream from it. */
  primary?: string;
  /** Default true. */
  arbiter?: boolean;
  /** Give every node a `tcp` target (database port check). Default false. */
  tcp?: boolean;
  /** The epoch every node follows at the start, and the monitor's own. Default 3. */
  epoch?: number;
  intervalSeconds?: number;
  failover?: FailoverOverride;
  now?: number;
}

/** A fleet config input holding one store shaped by `options`; parse it with `FleetConfig`. */
export function fleetInput(options: ScenarioOptions = {}): FleetConfigInput {
  const storeId = options.storeId ?? 'gz-tianhe';
  const nodes = options.nodes ?? ['node-a', 'node-b'];
  return {
    version: 1,
    defaults: options.intervalSeconds === undefined ? {} : { intervalSeconds: options.intervalSeconds },
    stores: [
      {
        id: storeId,
        name: 'Guangzhou Tianhe',
        activeEndpoint: `http://${storeId}-vip.example:8008`,
        ...(options.arbiter === false ? {} : { arbiter: { url: `http://${storeId}-arb.example:8008` } }),
        nodes: nodes.map((id) => ({
          id,
          url: `http://${id}.example:8008`,
          ...(options.tcp ? { tcp: `${id}.example:5000` } : {}),
        })),
        ...(options.failover ? { failover: options.failover } : {}),
      },
    ],
  };
}

export function monitorConfig(options: ScenarioOptions = {}): MonitorConfig {
  const fleet = FleetConfig.parse(fleetInput(options));
  const store = fleet.stores[0];
  if (!store) throw new Error('fleetInput produced no store');
  return monitorConfigFor(fleet, store);
}

interface Behaviour {
  report: AgentReport;
  /** Set while the endpoint fails; the report comes back when it recovers. */
  error: string | null;
  latencyMs: number;
}

interface NodeState {
  http: EndpointHistory;
  tcp: EndpointHistory | null;
  tcpError: string | null;
  pushed: PushedReport | null;
  lastStreamingLag: { at: number; lagSeconds: number; lagBytes?: number | null } | null;
}

export class StoreScenario {
  now: number;
  readonly config: MonitorConfig;
  freshRounds = 0;
  knownPrimary: string | null;
  epoch: number;
  private readonly behaviours = new Map<Endpoint, Behaviour>();
  private readonly nodeStates = new Map<string, NodeState>();
  private active: EndpointHistory = EMPTY_HISTORY;
  private arbiter: { http: EndpointHistory; pushed: PushedReport | null } | null;

  constructor(options: ScenarioOptions = {}) {
    this.config = monitorConfig(options);
    this.now = options.now ?? T0;
    const epoch = options.epoch ?? 3;
    this.epoch = epoch;
    const ids = this.config.store.nodes.map((n) => n.id);
    if (ids.includes(ACTIVE) || ids.includes(ARBITER))
      throw new Error(`node ids may not be "${ACTIVE}" or "${ARBITER}"`);
    const primary = options.primary ?? ids[0] ?? null;
    this.knownPrimary = primary;
    for (const node of this.config.store.nodes) {
      const report = node.id === primary ? primaryReport(node.id, epoch) : standbyReport(node.id, epoch);
      this.behaviours.set(node.id, { report, error: null, latencyMs: 12 });
      this.nodeStates.set(node.id, {
        http: EMPTY_HISTORY,
        tcp: node.tcp ? EMPTY_HISTORY : null,
        tcpError: null,
        pushed: null,
        lastStreamingLag: null,
      });
    }
    const primaryBehaviour = primary ? this.behaviours.get(primary) : undefined;
    this.behaviours.set(ACTIVE, {
      report: primaryBehaviour?.report ?? primaryReport('unknown', epoch),
      error: null,
      latencyMs: 15,
    });
    if (this.config.store.arbiter) {
      this.behaviours.set(ARBITER, {
        report: arbiterReport(Object.fromEntries(ids.map((id) => [id, true])), epoch),
        error: null,
        latencyMs: 20,
      });
      this.arbiter = { http: EMPTY_HISTORY, pushed: null };
    } else {
      this.arbiter = null;
    }
  }

  get intervalMs(): number {
    return this.config.intervalSeconds * 1000;
  }

  /** The report `endpoint` answers with (or will answer with once it recovers). */
  reportOf(endpoint: Endpoint): AgentReport {
    return this.behaviour(endpoint).report;
  }

  history(endpoint: Endpoint): EndpointHistory {
    if (endpoint === ACTIVE) return this.active;
    if (endpoint === ARBITER) return this.arbiterState().http;
    return this.nodeState(endpoint).http;
  }

  /** From the next round on, `endpoint` answers with `report`. */
  answer(endpoint: Endpoint, report: AgentReport): this {
    this.behaviour(endpoint).report = report;
    return this;
  }

  /** Patches the report `endpoint` answers with; the active endpoint follows a node it answers as. */
  update(endpoint: Endpoint, patch: Partial<AgentReport>): this {
    const b = this.behaviour(endpoint);
    b.report = { ...b.report, ...patch };
    const active = this.behaviour(ACTIVE);
    if (endpoint !== ACTIVE && active.report.node === endpoint) active.report = b.report;
    return this;
  }

  /** Patches a standby's replication block. */
  replication(node: string, patch: Partial<Replication>): this {
    const current = this.reportOf(node).replication ?? { state: 'streaming', primaryReachable: true };
    return this.update(node, { replication: { ...current, ...patch } });
  }

  /** Patches the arbiter's `sees` map. */
  sees(patch: Record<string, boolean>): this {
    return this.update(ARBITER, { sees: { ...this.reportOf(ARBITER).sees, ...patch } });
  }

  /** The active endpoint (the active IP) now answers as `node`, with that node's report. */
  activeAnswersAs(node: string): this {
    return this.answer(ACTIVE, this.reportOf(node));
  }

  fail(endpoint: Endpoint, error = 'timeout after 2000 ms'): this {
    this.behaviour(endpoint).error = error;
    return this;
  }

  recover(endpoint: Endpoint): this {
    this.behaviour(endpoint).error = null;
    return this;
  }

  /** Every HTTP endpoint (nodes, active, arbiter) fails: the WAN link is down. */
  failAll(error = 'timeout after 2000 ms'): this {
    for (const endpoint of this.behaviours.keys()) this.fail(endpoint, error);
    return this;
  }

  failTcp(node: string, error = 'connection refused'): this {
    this.tcpState(node).tcpError = error;
    return this;
  }

  recoverTcp(node: string): this {
    this.tcpState(node).tcpError = null;
    return this;
  }

  /** The agent behind `endpoint` pushes its current report (or `report`) at `at` (default now). */
  push(endpoint: Endpoint, options: { report?: AgentReport; at?: number } = {}): this {
    const at = options.at ?? this.now;
    const pushed: PushedReport = { at, report: { ...(options.report ?? this.reportOf(endpoint)), time: iso(at) } };
    if (endpoint === ACTIVE) throw new Error('the active endpoint does not push; its node does');
    if (endpoint === ARBITER) {
      this.arbiterState().pushed = pushed;
    } else {
      const state = this.nodeState(endpoint);
      state.pushed = pushed;
      this.noteLag(state, pushed);
    }
    return this;
  }

  withKnownPrimary(node: string | null): this {
    this.knownPrimary = node;
    return this;
  }

  withEpoch(epoch: number): this {
    this.epoch = epoch;
    return this;
  }

  /** Probes every endpoint once at the current time. */
  round(): this {
    for (const node of this.config.store.nodes) {
      const state = this.nodeState(node.id);
      const probe = this.probe(node.id);
      state.http = foldProbe(state.http, probe);
      if (probe.report) this.noteLag(state, { at: probe.at, report: probe.report });
      if (state.tcp) {
        state.tcp = foldProbe(
          state.tcp,
          state.tcpError ? failedProbe(this.now, state.tcpError) : okProbe(this.now, null, 3),
        );
      }
    }
    this.active = foldProbe(this.active, this.probe(ACTIVE));
    if (this.arbiter) this.arbiter.http = foldProbe(this.arbiter.http, this.probe(ARBITER));
    this.freshRounds += 1;
    return this;
  }

  /** Advances the clock by `ms` (default one probe interval), then runs a round. */
  tick(ms = this.intervalMs): this {
    this.now += ms;
    return this.round();
  }

  /** Rounds every `stepMs` (default 1 s, the failing cadence) for `ms`: the last round is at now + ms. */
  runFor(ms: number, stepMs = 1000): this {
    const end = this.now + ms;
    while (this.now + stepMs <= end) this.tick(stepMs);
    if (this.now < end) this.tick(end - this.now);
    return this;
  }

  /** Runs the startup grace: enough rounds, one interval apart, for the monitor to speak. */
  warm(rounds = 3): this {
    this.round();
    for (let i = 1; i < rounds; i++) this.tick();
    return this;
  }

  observe(): StoreObservations {
    return {
      now: this.now,
      config: this.config,
      freshRounds: this.freshRounds,
      nodes: this.config.store.nodes.map((node) => {
        const state = this.nodeState(node.id);
        return {
          id: node.id,
          http: state.http,
          tcp: state.tcp,
          pushed: state.pushed,
          lastStreamingLag: state.lastStreamingLag,
        };
      }),
      active: this.active,
      arbiter: this.arbiter ? { ...this.arbiter } : null,
      knownPrimary: this.knownPrimary,
      epoch: this.epoch,
    };
  }

  private probe(endpoint: Endpoint): ProbeOutcome {
    const b = this.behaviour(endpoint);
    if (b.error !== null) return failedProbe(this.now, b.error);
    return okProbe(this.now, { ...b.report, time: iso(this.now) }, b.latencyMs);
  }

  private noteLag(state: NodeState, seen: PushedReport): void {
    const rep = seen.report.replication;
    if (rep?.state === 'streaming' && typeof rep.lagSeconds === 'number') {
      if (!state.lastStreamingLag || state.lastStreamingLag.at <= seen.at) {
        state.lastStreamingLag = { at: seen.at, lagSeconds: rep.lagSeconds, lagBytes: rep.lagBytes ?? null };
      }
    }
  }

  private behaviour(endpoint: Endpoint): Behaviour {
    const b = this.behaviours.get(endpoint);
    if (!b) throw new Error(`no endpoint "${endpoint}" in store ${this.config.store.id}`);
    return b;
  }

  private nodeState(node: string): NodeState {
    const state = this.nodeStates.get(node);
    if (!state) throw new Error(`no node "${node}" in store ${this.config.store.id}`);
    return state;
  }

  private tcpState(node: string): NodeState {
    const state = this.nodeState(node);
    if (!state.tcp) throw new Error(`node "${node}" has no tcp target: build the scenario with { tcp: true }`);
    return state;
  }

  private arbiterState(): { http: EndpointHistory; pushed: PushedReport | null } {
    if (!this.arbiter) throw new Error(`store ${this.config.store.id} has no arbiter`);
    return this.arbiter;
  }
}

export function storeScenario(options: ScenarioOptions = {}): StoreScenario {
  return new StoreScenario(options);
}
