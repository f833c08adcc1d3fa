/**
 * The StoreMonitor Durable Object: one per store. A single alarm drives everything: probe rounds,
 * the failover machine's deadlines, alert deliveries. The object gathers observations, calls the
 * pure decisions (`classify`, the failover machine, `shared/monitor/*`) and applies their outcome:
 * storage writes, actions sent, events, and a summary to the Fleet.
 */
import { DurableObject } from 'cloudflare:workers';
import { classify } from '#shared/classify.ts';
import { dayOfZone } from '#shared/local-day.ts';
import { afterFailoverStep, countsTowardUptime, dueAt, nextRoundAt } from '#shared/monitor/cadence.ts';
import { remember, sameMemory } from '#shared/monitor/known-primary.ts';
import { historyDue, historyKey, shouldReportStatus } from '#shared/monitor/reporting.ts';
import { composeStatus } from '#shared/monitor/store-status.ts';
import type { StoreObservations } from '#shared/observations.ts';
import { addRound, flush, type RoundSample } from '#shared/rollup.ts';
import type { JobEvent } from '#shared/schedules/heartbeat.ts';
import type { Uptime } from '#shared/schemas/api.ts';
import { type MonitorConfig, MonitorConfigSchema } from '#shared/schemas/config.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import type { Failover, StoreEvent, StoreStatus } from '#shared/schemas/status.ts';
import { deliverAlert } from '../alerts/deliver.ts';
import { fleetStub } from '../fleet/stub.ts';
import { EndpointViews } from './endpoint-views.ts';
import { FailoverRunner, type RequestAnswer, type RequestInput } from './failover-runner.ts';
import { type EventQuery, MonitorHistory } from './history.ts';
import {
  type ConfigRecord,
  freshWarm,
  loadConfig,
  loadObserved,
  type MonitorStats,
  noObservations,
  type Observed,
  saveConfig,
  saveObserved,
  type Warm,
} from './monitor-state.ts';
import type { Clock } from './probe.ts';
import { publicHistory } from './public-history.ts';
import { probeStore, roundSamples } from './round.ts';
import { ensureMonitorSchema } from './schema.ts';
import { fenceStalePrimaries } from './stale-primary.ts';
import { type JobSummary, StoreDuties } from './store-duties.ts';

export type { MonitorStats };

/** Agents answer actions at once (202) and work after; this bounds a send that gets no answer. */
const ACTION_TIMEOUT_MS = 5000;
/** A pushed report older than this many intervals no longer counts for resource readings. */
const PUSH_FRESH_INTERVALS = 3;

export class StoreMonitor extends DurableObject<Env> {
  /** Overridable by tests (through runInDurableObject) to run rounds on a simulated clock. */
  clock: Clock = () => Date.now();

  private readonly sql: SqlStorage;
  private readonly history: MonitorHistory;
  private readonly endpoints: EndpointViews;
  private readonly failover: FailoverRunner;
  /** Maintenance windows, job heartbeats, resource warnings and the alerts they raise. */
  private readonly duties: StoreDuties;
  private cfg: ConfigRecord | null;
  private observed: Observed;
  private warm: Warm = freshWarm();
  private running: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ensureMonitorSchema(ctx.storage);
    this.history = new MonitorHistory(this.sql);
    this.cfg = loadConfig(this.sql);
    this.observed = loadObserved(this.sql, this.clock());
    if (this.cfg) this.history.dayOf = dayOfZone(this.cfg.config.store.timezone);
    this.endpoints = new EndpointViews(this.sql, this.history);
    this.failover = new FailoverRunner({
      sql: this.sql,
      history: this.history,
      now: () => this.clock(),
      storeId: () => this.cfg?.config.store.id ?? null,
      nodeUrl: (id) => this.cfg?.config.store.nodes.find((n) => n.id === id)?.url ?? null,
      actionTimeoutMs: () => Math.max(this.cfg?.config.timeoutMs ?? 0, ACTION_TIMEOUT_MS),
      webhookSecret: env.WEBHOOK_SECRET,
    });
    this.duties = new StoreDuties(this.sql, this.history, (channel, message) =>
      // The real clock, not `clock`: receivers check the signature's timestamp against theirs.
      deliverAlert(channel, message, { ...env }, { now: Date.now(), timeoutMs: ACTION_TIMEOUT_MS }),
    );
  }

  private setObserved(observed: Observed): void {
    this.observed = observed;
    this.warm.stats.rowsWritten += saveObserved(this.sql, observed);
  }

  // ---- RPC -------------------------------------------------------------------------------------

  /**
   * Applies a config (a no-op when unchanged) and makes sure the alarm is set. Called by the Fleet
   * on every config change and by the watchdog cron. Returns true when the alarm had gone missing.
   */
  async ensure(config: MonitorConfig, fleet: string): Promise<boolean> {
    ensureMonitorSchema(this.ctx.storage); // again: remove() may have wiped the database
    const parsed = MonitorConfigSchema.parse(config);
    const now = this.clock();
    const changed = !this.cfg || JSON.stringify(this.cfg.config) !== JSON.stringify(parsed) || this.cfg.fleet !== fleet;
    if (changed) {
      const first = !this.cfg;
      this.cfg = { config: parsed, fleet };
      this.warm.stats.rowsWritten += saveConfig(this.sql, this.cfg);
      this.history.dayOf = dayOfZone(parsed.store.timezone);
      this.duties.configure(parsed, now);
      this.warm.lastHistoryAt = 0; // the windows may have changed: the public view is refreshed at the next round
      this.history.addEvent(now, 'config', first ? 'monitoring started' : 'configuration changed');
      this.warm.requestedRoundAt = now;
    }
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || changed) {
      if (changed) await this.ctx.storage.setAlarm(Date.now());
      else await this.arm();
      return alarm === null;
    }
    return false;
  }

  /** The store left the config: forget everything, on disk and in memory, and stop the alarm. */
  async remove(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.cfg = null;
    this.observed = noObservations(this.clock());
    this.warm = freshWarm(this.storeRows());
    this.endpoints.reset();
    this.failover.reset();
    this.duties.reset();
  }

  async status(): Promise<StoreStatus | null> {
    return this.warm.last?.status ?? null;
  }

  events(query: EventQuery): { events: StoreEvent[]; next: number | null } {
    return this.history.events({ ...query, limit: Math.min(Math.max(1, query.limit), 1000) });
  }

  /** A heartbeat from a scheduled job (the hook route checked who sent it); null for an unknown job. */
  heartbeat(jobId: string, event: JobEvent, message: string | null, run: string | null = null): JobSummary | null {
    const config = this.cfg?.config;
    if (!config) return null;
    const now = this.clock();
    const job = this.duties.heartbeat(config, jobId, event, message, run, now);
    if (job) this.publish(now);
    return job;
  }

  /** The Worker secret holding a job's own token, if its config names one. */
  jobTokenSecret(jobId: string): string | null {
    return this.cfg?.config.store.jobs?.find((j) => j.id === jobId)?.tokenSecret ?? null;
  }

  jobs(): JobSummary[] {
    return this.cfg ? this.duties.jobList(this.cfg.config, this.clock()) : [];
  }

  jobRuns(jobId: string, limit: number, before: number | null) {
    return this.duties.jobRuns(jobId, Math.min(Math.max(1, limit), 1000), before);
  }

  maintenance() {
    return this.cfg ? this.duties.maintenanceView(this.cfg.config, this.clock()) : null;
  }

  /** An operator opens a window (from now unless `start` is given), effective at the next round. */
  async startMaintenance(input: { reason: string; start: number | null; end: number; by: string }) {
    if (!this.cfg) return null;
    const now = this.clock();
    const window = this.duties.startMaintenance({ ...input, start: input.start ?? now }, now);
    this.refreshHistory(now);
    await this.roundNow();
    return window;
  }

  /** Ends operator-opened windows (one by id, or all); false when none was open. */
  async endMaintenance(id: string | null, by: string): Promise<boolean> {
    if (!this.cfg) return false;
    const ended = this.duties.endMaintenance(id, by, this.clock());
    if (ended) {
      this.refreshHistory(this.clock());
      await this.roundNow();
    }
    return ended;
  }

  openAlerts() {
    return this.duties.openAlerts();
  }

  uptime(): Uptime {
    return this.history.uptime(this.clock(), flush(this.warm.rollup));
  }

  getStats(): MonitorStats {
    const { stats, rowsBefore } = this.warm;
    return { ...stats, rowsWritten: stats.rowsWritten + this.storeRows() - rowsBefore };
  }

  private storeRows(): number {
    return [this.history, this.failover, this.duties, this.endpoints].reduce((sum, p) => sum + p.rowsWritten, 0);
  }

  /**
   * A report an agent pushed (signed, checked by the hook route). It counts as that node's (or the
   * arbiter's) view while fresh; the edge view stays what the edge itself reaches.
   */
  pushReport(report: AgentReport): { accepted: true } | { accepted: false; reason: string } {
    const store = this.cfg?.config.store;
    if (!store) return { accepted: false, reason: 'the store is not monitored' };
    const parsed = AgentReport.parse(report);
    if (parsed.role === 'arbiter') {
      if (!store.arbiter) return { accepted: false, reason: `store ${store.id} has no arbiter in its config` };
    } else if (!store.nodes.some((n) => n.id === parsed.node)) {
      return { accepted: false, reason: `node "${parsed.node}" is not a node of store ${store.id}` };
    }
    this.endpoints.push(parsed, this.clock());
    return { accepted: true };
  }

  failovers(limit = 50): Failover[] {
    return this.failover.failovers(Math.min(Math.max(1, limit), 500));
  }

  /** An operator's or a signed hook's failover request (or confirmation), checked like any decision. */
  async requestFailover(input: RequestInput): Promise<RequestAnswer> {
    const answer = await this.failover.request(this.warm.view, input);
    await this.afterFailoverStep();
    return answer;
  }

  // ---- the alarm -------------------------------------------------------------------------------

  override async alarm(): Promise<void> {
    await this.tick();
  }

  /**
   * Runs whatever is due and re-arms the alarm for the earliest next task. Concurrent calls share
   * one run, so a task never runs twice for one due time (tests call this on a simulated clock).
   */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runDue(): Promise<void> {
    if (!this.cfg) return; // removed, or never configured: nothing to watch
    const { scheduledRoundAt: scheduled, requestedRoundAt: requested } = this.warm;
    if (this.clock() >= dueAt({ scheduled, requested })) await this.runRound();
    const machineDue = this.failover.dueAt();
    if (machineDue !== null && this.clock() >= machineDue) {
      await this.failover.run({ type: 'timer', now: this.clock() });
      this.publish(this.clock());
    }
    const alertsDue = this.duties.dueAt();
    const cfg = this.cfg;
    if (cfg && alertsDue !== null && this.clock() >= alertsDue) await this.duties.deliverDue(cfg.config, this.clock());
    await this.arm();
  }

  /** The one alarm, set for the earliest task: the next probe round or the machine's next deadline. */
  private async arm(): Promise<void> {
    if (!this.cfg) return;
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, this.alarmAt() - this.clock()));
  }

  private alarmAt(): number {
    const { scheduledRoundAt: scheduled, requestedRoundAt: requested } = this.warm;
    return dueAt({ scheduled, requested }, this.failover.dueAt(), this.duties.dueAt());
  }

  private async roundNow(): Promise<void> {
    this.warm.requestedRoundAt = this.clock();
    await this.arm();
  }

  private async afterFailoverStep(): Promise<void> {
    const now = this.clock();
    this.publish(now);
    // A decision may have started a failover: probe again at once to watch it through.
    this.warm.scheduledRoundAt = afterFailoverStep(this.warm.scheduledRoundAt, this.failover.state.phase, now);
    await this.arm();
  }

  private async runRound(): Promise<void> {
    const warm = this.warm;
    const started = this.clock();
    warm.requestedRoundAt = null; // this round serves it; one asked for meanwhile stays
    const probed = this.cfg?.config;
    if (!probed) return;
    const round = await probeStore(probed.store, probed.timeoutMs, this.clock);
    const now = this.clock();
    // The store may have been removed (or removed and added back) while the probes were out.
    if (this.warm !== warm || !this.cfg) return;
    // Decisions use the config in force now: a change that landed during the probes is not undone.
    const { config } = this.cfg;
    const { store } = config;
    const samples = roundSamples(round);
    warm.stats.rounds += 1;
    warm.stats.probes += samples.length;
    warm.freshRounds += 1;
    this.endpoints.fold(round, now);

    const observations: StoreObservations = {
      now,
      config,
      freshRounds: warm.freshRounds,
      ...this.endpoints.observed(store),
      knownPrimary: this.observed.knownPrimary,
      epoch: Math.max(this.observed.epoch ?? 0, this.failover.state.epoch),
    };
    const classification = classify(observations);
    const freshFrom = now - PUSH_FRESH_INTERVALS * config.intervalSeconds * 1000;
    this.duties.observe(config, this.endpoints.resourceReadings(round, freshFrom), now);
    warm.view = { classification, observations, maintenance: this.duties.window !== null };
    await this.failover.run({ type: 'observed', now, ...warm.view });
    const lines = await fenceStalePrimaries({
      store,
      classification,
      fencedAt: warm.staleFencedAt,
      failoverId: this.failover.state.current?.id ?? `${store.id}-reinstate`,
      now,
      webhookSecret: this.env.WEBHOOK_SECRET,
      timeoutMs: ACTION_TIMEOUT_MS,
    });
    for (const line of lines) this.history.addEvent(now, 'failover', line);
    const memory = remember(this.observed, classification);
    if (!sameMemory(memory, this.observed)) this.setObserved({ ...this.observed, ...memory });
    warm.classification = classification;
    const composed = this.publish(now);
    if (composed) this.duties.evaluateAlerts(config, composed.base, this.failover.state.current, now);
    this.recordRollups(samples, now);
    warm.scheduledRoundAt = nextRoundAt({
      started,
      intervalSeconds: config.intervalSeconds,
      classification,
      phase: this.failover.state.phase,
    });
  }

  /**
   * Composes the status, logs a change, and hands the summary to the Fleet when it changed (or once
   * a minute for the live figures).
   */
  private publish(now: number) {
    const { cfg, warm } = this;
    const c = warm.classification;
    if (!cfg || !c) return null;
    const composed = composeStatus({
      config: cfg.config,
      classification: c,
      machine: this.failover.state,
      window: this.duties.window,
      warnings: this.duties.warnings,
      previous: this.observed,
      now,
      counters: {
        rounds: warm.stats.rounds,
        probes: warm.stats.probes,
        rowsWritten: this.getStats().rowsWritten,
        failovers: { ...this.failover.outcomes },
      },
    });
    const { status: view, key } = composed;
    if (composed.changed) {
      const why = view.reasons[0] ? `: ${view.reasons[0]}` : '';
      this.history.addEvent(now, 'status', `${this.observed.status} → ${view.status}${why}`, view.status);
      this.setObserved({ ...this.observed, status: view.status, since: now });
      this.refreshHistory(now);
    }
    const significant = key !== warm.last?.key;
    warm.last = { status: view, key };
    if (shouldReportStatus({ significant, lastSentAt: warm.lastSentAt, now })) {
      warm.lastSentAt = now;
      this.ctx.waitUntil(this.sendToFleet(cfg.fleet, view, significant));
    }
    return composed;
  }

  private async sendToFleet(fleet: string, view: StoreStatus, significant: boolean): Promise<void> {
    const warm = this.warm;
    try {
      await fleetStub(this.env, fleet).reportStatus(view, significant);
    } catch (err) {
      // The next round (or the one-minute refresh) sends it again; say where it failed.
      console.error(`store ${view.id}: could not report its status to fleet ${fleet}:`, err);
      if (significant && warm.last) warm.last = { ...warm.last, key: '' };
    }
  }

  private recordRollups(probes: RoundSample['probes'], now: number): void {
    const { cfg, warm } = this;
    const c = warm.classification;
    if (!cfg || !c || !countsTowardUptime(c.status, this.duties.window !== null)) return;
    const interval = cfg.config.intervalSeconds * 1000;
    const { acc, completed } = addRound(
      warm.rollup,
      { at: now, primaryServing: c.primaryServing, probes },
      3 * interval,
    );
    warm.rollup = acc;
    if (completed.length > 0) this.history.saveMinutes(completed);
    this.history.prune(now);
    if (historyDue({ completedMinutes: completed.length, lastHistoryAt: warm.lastHistoryAt, now })) {
      this.refreshHistory(now);
    }
  }

  /** Sends the public history to the Fleet (at most every UPTIME_EVERY_MS, or on a status change) when it changed. */
  private refreshHistory(now: number): void {
    const { cfg, warm } = this;
    if (!cfg) return;
    warm.lastHistoryAt = now;
    const history = publicHistory(
      { history: this.history, failover: this.failover, duties: this.duties },
      cfg.config,
      warm.rollup,
      now,
    );
    const key = historyKey(history);
    if (key === warm.lastHistory) return;
    warm.lastHistory = key;
    const storeId = cfg.config.store.id;
    this.ctx.waitUntil(
      fleetStub(this.env, cfg.fleet)
        .reportHistory(storeId, history)
        .then(
          () => undefined,
          (err: unknown) => {
            warm.lastHistory = '';
            console.error(`store ${storeId}: could not report its public history:`, err);
          },
        ),
    );
  }
}
