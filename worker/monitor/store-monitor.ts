/**
 * The StoreMonitor Durable Object: one per store. A single alarm drives everything: probe rounds
 * (every `intervalSeconds`, every second while something is failing), rollup writes and pruning.
 * It gathers observations, calls the pure `classify`, and applies the outcome: events, rollups,
 * and a summary to the Fleet when the summary changed.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { channelSecrets } from '#shared/alerts/routing.ts';
import { type Classification, classify } from '#shared/classify.ts';
import { storeStatusOf } from '#shared/failover/status.ts';
import type { StoreView } from '#shared/failover/types.ts';
import { dayOfZone } from '#shared/local-day.ts';
import type { StoreObservations } from '#shared/observations.ts';
import { publicIncidents } from '#shared/public-incidents.ts';
import { addRound, flush, type RollupAccumulator, type RoundSample, startAccumulator } from '#shared/rollup.ts';
import type { JobEvent } from '#shared/schedules/heartbeat.ts';
import type { PublicHistory, Uptime } from '#shared/schemas/api.ts';
import { type MonitorConfig, MonitorConfigSchema } from '#shared/schemas/config.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import { type Failover, type StoreEvent, type StoreStatus, StoreStatusName } from '#shared/schemas/status.ts';
import { overlayStatus } from '#shared/status-overlay.ts';
import { deliverAlert } from '../alerts/deliver.ts';
import { fleetStub } from '../fleet/stub.ts';
import { jsonColumn, readMeta, writeMeta } from '../storage/sql.ts';
import { EndpointViews } from './endpoint-views.ts';
import { FailoverRunner, type RequestAnswer, type RequestInput } from './failover-runner.ts';
import { type EventQuery, MonitorHistory } from './history.ts';
import type { Clock } from './probe.ts';
import { probeStore, roundSamples } from './round.ts';
import { ensureMonitorSchema } from './schema.ts';
import { StalePrimaryFencer } from './stale-primary.ts';
import { significantKey, toStoreStatus } from './status-view.ts';
import { type JobSummary, StoreDuties } from './store-duties.ts';

const Persisted = z.object({
  config: MonitorConfigSchema,
  fleet: z.string(),
  status: StoreStatusName,
  since: z.number(),
  knownPrimary: z.string().nullable(),
  epoch: z.number().int(),
});
type Persisted = z.infer<typeof Persisted>;

const FAST_ROUND_MS = 1000;
/** How often the Fleet's copy of volatile figures (latency, lag) is refreshed without a change. */
const REFRESH_MS = 60_000;
const UPTIME_EVERY_MS = 10 * 60_000;
/** How far back the public incident timeline reaches. */
const INCIDENT_WINDOW_MS = 14 * 24 * 3600 * 1000;
/** Agents answer actions at once (202) and work after; this bounds a send that gets no answer. */
const ACTION_TIMEOUT_MS = 5000;
/** A pushed report older than this many intervals no longer counts for resource readings. */
const PUSH_FRESH_INTERVALS = 3;

export interface MonitorStats {
  rounds: number;
  probes: number;
  rowsWritten: number;
}

export class StoreMonitor extends DurableObject<Env> {
  /** Overridable by tests (through runInDurableObject) to run rounds on a simulated clock. */
  clock: Clock = () => Date.now();

  private readonly sql: SqlStorage;
  private readonly history: MonitorHistory;
  private state: Persisted | null;
  private readonly endpoints: EndpointViews;
  private freshRounds = 0;
  private rollup: RollupAccumulator = startAccumulator();
  private last: { status: StoreStatus; key: string } | null = null;
  private classification: Classification | null = null;
  private readonly failover: FailoverRunner;
  private readonly staleFencer: StalePrimaryFencer;
  /** What the failover machine re-checks every decision against: the latest round. */
  private view: StoreView | null = null;
  private lastSentAt = 0;
  private lastUptimeAt = 0;
  private lastUptime = '';
  private nextRoundAt = 0;
  private running: Promise<void> | null = null;
  private stats: MonitorStats = { rounds: 0, probes: 0, rowsWritten: 0 };
  /** Maintenance windows, job heartbeats, resource warnings and the alerts they raise. */
  private readonly duties: StoreDuties;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ensureMonitorSchema(this.sql);
    this.history = new MonitorHistory(this.sql);
    this.state = this.load();
    if (this.state) this.history.dayOf = dayOfZone(this.state.config.store.timezone);
    this.endpoints = new EndpointViews(this.sql, this.history);
    this.failover = new FailoverRunner({
      sql: this.sql,
      history: this.history,
      now: () => this.clock(),
      storeId: () => this.state?.config.store.id ?? null,
      nodeUrl: (id) => this.state?.config.store.nodes.find((n) => n.id === id)?.url ?? null,
      actionTimeoutMs: () => Math.max(this.state?.config.timeoutMs ?? 0, ACTION_TIMEOUT_MS),
      webhookSecret: env.WEBHOOK_SECRET,
    });
    this.staleFencer = new StalePrimaryFencer(env.WEBHOOK_SECRET, ACTION_TIMEOUT_MS);
    this.duties = new StoreDuties(this.sql, this.history, (channel, message) =>
      // The real clock, not `clock`: receivers check the signature's timestamp against theirs.
      deliverAlert(channel, message, channelSecrets(channel, env), { now: Date.now(), timeoutMs: ACTION_TIMEOUT_MS }),
    );
  }

  private load(): Persisted | null {
    const raw = readMeta(this.sql, 'state');
    return raw === null ? null : jsonColumn(Persisted, raw, 'monitor state');
  }

  private save(state: Persisted): void {
    this.state = state;
    this.history.dayOf = dayOfZone(state.config.store.timezone);
    this.stats.rowsWritten += writeMeta(this.sql, 'state', JSON.stringify(state));
  }

  // ---- RPC -------------------------------------------------------------------------------------

  /**
   * Applies a config (a no-op when unchanged) and makes sure the alarm is set. Called by the Fleet
   * on every config change and by the watchdog cron. Returns true when the alarm had gone missing.
   */
  async ensure(config: MonitorConfig, fleet: string): Promise<boolean> {
    ensureMonitorSchema(this.sql); // again: remove() may have wiped the database
    const parsed = MonitorConfigSchema.parse(config);
    const now = this.clock();
    const changed =
      !this.state || JSON.stringify(this.state.config) !== JSON.stringify(parsed) || this.state.fleet !== fleet;
    if (changed) {
      const first = !this.state;
      this.save({
        config: parsed,
        fleet,
        status: this.state?.status ?? 'unknown',
        since: this.state?.since ?? now,
        knownPrimary: this.state?.knownPrimary ?? null,
        epoch: this.state?.epoch ?? 0,
      });
      this.duties.configure(parsed, now);
      this.lastUptimeAt = 0; // the windows may have changed: the public view is refreshed at the next round
      this.addEvent(now, 'config', first ? 'monitoring started' : 'configuration changed');
      this.nextRoundAt = now;
    }
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || changed) {
      await this.ctx.storage.setAlarm(changed ? Date.now() : this.dueAt());
      return alarm === null;
    }
    return false;
  }

  /** The store left the config: forget everything and stop the alarm. */
  async remove(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.state = null;
    this.last = null;
    this.classification = null;
    this.view = null;
    this.endpoints.reset();
    this.failover.reset();
    this.staleFencer.reset();
    this.duties.reset();
  }

  async status(): Promise<StoreStatus | null> {
    return this.last?.status ?? null;
  }

  events(query: EventQuery): { events: StoreEvent[]; next: number | null } {
    return this.history.events({ ...query, limit: Math.min(Math.max(1, query.limit), 1000) });
  }

  /** A heartbeat from a scheduled job (the hook route checked who sent it); null for an unknown job. */
  heartbeat(jobId: string, event: JobEvent, message: string | null, run: string | null = null): JobSummary | null {
    const config = this.state?.config;
    if (!config) return null;
    const now = this.clock();
    const job = this.duties.heartbeat(config, jobId, event, message, run, now);
    if (job) this.publish(now);
    return job;
  }

  /** The Worker secret holding a job's own token, if its config names one. */
  jobTokenSecret(jobId: string): string | null {
    return this.state?.config.store.jobs?.find((j) => j.id === jobId)?.tokenSecret ?? null;
  }

  jobs(): JobSummary[] {
    return this.state ? this.duties.jobList(this.state.config, this.clock()) : [];
  }

  jobRuns(jobId: string, limit: number, before: number | null) {
    return this.duties.jobRuns(jobId, Math.min(Math.max(1, limit), 1000), before);
  }

  maintenance() {
    return this.state ? this.duties.maintenanceView(this.state.config, this.clock()) : null;
  }

  /** An operator opens a window (from now unless `start` is given), effective at the next round. */
  async startMaintenance(input: { reason: string; start: number | null; end: number; by: string }) {
    if (!this.state) return null;
    const now = this.clock();
    const window = this.duties.startMaintenance({ ...input, start: input.start ?? now }, now);
    this.refreshHistory(now);
    await this.roundNow();
    return window;
  }

  /** Ends operator-opened windows (one by id, or all); false when none was open. */
  async endMaintenance(id: string | null, by: string): Promise<boolean> {
    if (!this.state) return false;
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

  private async roundNow(): Promise<void> {
    this.nextRoundAt = this.clock();
    await this.arm();
  }

  uptime(): Uptime {
    return this.history.uptime(this.clock(), flush(this.rollup));
  }

  getStats(): MonitorStats {
    return {
      ...this.stats,
      rowsWritten:
        this.stats.rowsWritten +
        this.history.rowsWritten +
        this.failover.rowsWritten +
        this.duties.rowsWritten +
        this.endpoints.rowsWritten,
    };
  }

  /**
   * A report an agent pushed (signed, checked by the hook route). It counts as that node's (or the
   * arbiter's) view while fresh; the edge view stays what the edge itself reaches.
   */
  pushReport(report: AgentReport, _principal: string): { accepted: true } | { accepted: false; reason: string } {
    const store = this.state?.config.store;
    if (!store) return { accepted: false, reason: 'the store is not monitored' };
    const parsed = AgentReport.parse(report);
    const at = this.clock();
    if (parsed.role === 'arbiter') {
      if (!store.arbiter) return { accepted: false, reason: `store ${store.id} has no arbiter in its config` };
    } else if (!store.nodes.some((n) => n.id === parsed.node)) {
      return { accepted: false, reason: `node "${parsed.node}" is not a node of store ${store.id}` };
    }
    this.endpoints.push(parsed, at);
    return { accepted: true };
  }

  /**
   * Replay memory of this store's signed hooks: true the first time `key` is seen. Kept until
   * `forgetAfterMs`, when the signature would be refused as stale anyway.
   * (Smallest form, added on the http branch; the monitor's own version replaces it.)
   */
  consumeSignature(key: string, forgetAfterMs: number, nowMs: number): boolean {
    this.sql.exec('DELETE FROM used_signatures WHERE forget_after < ?', nowMs);
    const seen = this.sql.exec('SELECT 1 AS n FROM used_signatures WHERE key = ?', key).toArray().length > 0;
    if (seen) return false;
    this.sql.exec('INSERT INTO used_signatures (key, forget_after) VALUES (?, ?)', key, forgetAfterMs);
    return true;
  }

  /**
   * Adopts an epoch a node reports but mirrorwatch never issued (CONTRACT.md section 3).
   * (Placeholder on the http branch: the monitor's own implementation replaces it.)
   */
  adoptEpoch(input: {
    epoch: number;
    by: string;
    reason: string;
  }): { ok: true; epoch: number } | { ok: false; reasons: string[] } {
    return { ok: false, reasons: [`adopting epoch ${input.epoch} is not implemented in this build of the monitor`] };
  }

  failovers(limit = 50): Failover[] {
    return this.failover.failovers(Math.min(Math.max(1, limit), 500));
  }

  /** An operator's or a signed hook's failover request (or confirmation), checked like any decision. */
  async requestFailover(input: RequestInput): Promise<RequestAnswer> {
    const answer = await this.failover.request(this.view, input);
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
    const state = this.state;
    if (!state) return; // removed, or never configured: nothing to watch
    if (this.clock() >= this.nextRoundAt) await this.runRound(state);
    const machineDue = this.failover.dueAt();
    if (machineDue !== null && this.clock() >= machineDue) {
      await this.failover.run({ type: 'timer', now: this.clock() });
      this.publish(this.clock());
    }
    const alertsDue = this.duties.dueAt();
    if (alertsDue !== null && this.clock() >= alertsDue) await this.duties.deliverDue(state.config, this.clock());
    await this.arm();
  }

  /** The one alarm, set for the earliest task: the next probe round or the machine's next deadline. */
  private async arm(): Promise<void> {
    if (!this.state) return;
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, this.dueAt() - this.clock()));
  }

  private dueAt(): number {
    return Math.min(
      this.nextRoundAt,
      this.failover.dueAt() ?? Number.POSITIVE_INFINITY,
      this.duties.dueAt() ?? Number.POSITIVE_INFINITY,
    );
  }

  private async afterFailoverStep(): Promise<void> {
    this.publish(this.clock());
    // A decision may have started a failover: probe again at once to watch it through.
    if (this.failover.state.phase !== 'idle')
      this.nextRoundAt = Math.min(this.nextRoundAt, this.clock() + FAST_ROUND_MS);
    await this.arm();
  }

  private async runRound(state: Persisted): Promise<void> {
    const { config } = state;
    const { store } = config;
    const started = this.clock();
    const round = await probeStore(store, config.timeoutMs, this.clock);
    const now = this.clock();
    // The store may have been removed while the probes were out: then there is nothing to record.
    if (this.state === null) return;
    const samples = roundSamples(round);
    this.stats.rounds += 1;
    this.stats.probes += samples.length;
    this.freshRounds += 1;
    this.endpoints.fold(round, now);

    const observations: StoreObservations = {
      now,
      config,
      freshRounds: this.freshRounds,
      ...this.endpoints.observed(store),
      knownPrimary: state.knownPrimary,
      epoch: Math.max(state.epoch, this.failover.state.epoch),
    };
    const classification = classify(observations);
    const freshFrom = now - PUSH_FRESH_INTERVALS * config.intervalSeconds * 1000;
    this.duties.observe(config, this.endpoints.resourceReadings(round, freshFrom), now);
    this.view = { classification, observations, maintenance: this.duties.window !== null };
    await this.failover.run({ type: 'observed', now, ...this.view });
    const failoverId = this.failover.state.current?.id ?? `${store.id}-reinstate`;
    for (const line of await this.staleFencer.fence(store, classification, failoverId, now)) {
      this.addEvent(now, 'failover', line);
    }
    this.applyClassification(state, classification, now);
    this.duties.evaluateAlerts(config, this.baseStatus(classification, now), this.failover.state.current, now);
    this.recordRollups(classification, samples, now);

    const fast =
      classification.unconfirmedFailures ||
      classification.status === 'primary_down' ||
      this.failover.state.phase === 'fencing' ||
      this.failover.state.phase === 'promoting';
    this.nextRoundAt = started + (fast ? FAST_ROUND_MS : config.intervalSeconds * 1000);
  }

  /** What the probes and the failover machine say, before maintenance and warnings are laid over. */
  private baseStatus(c: Classification, now: number) {
    return storeStatusOf(c, this.failover.state, now);
  }

  private applyClassification(state: Persisted, c: Classification, now: number): void {
    const knownPrimary = c.primaryServing ? c.primary : state.knownPrimary;
    const epoch = Math.max(state.epoch, c.epoch);
    if (knownPrimary !== state.knownPrimary || epoch !== state.epoch) this.save({ ...state, knownPrimary, epoch });
    this.classification = c;
    this.publish(now);
  }

  /**
   * Composes the status (the failover machine's phase over what was observed), logs a change,
   * and hands the summary to the Fleet when it changed (or once a minute for the live figures).
   */
  private publish(now: number): void {
    const state = this.state;
    const c = this.classification;
    if (!state || !c) return;
    const { status, reasons } = overlayStatus(this.baseStatus(c, now), this.duties.window, this.duties.warnings);
    if (status !== state.status) {
      const why = reasons[0] ? `: ${reasons[0]}` : '';
      this.addEvent(now, 'status', `${state.status} → ${status}${why}`, status);
      this.save({ ...state, status, since: now });
      this.refreshHistory(now);
    }
    const current = this.state ?? state;
    const view = toStoreStatus({
      config: current.config,
      classification: c,
      status,
      reasons,
      since: current.since,
      checkedAt: now,
      lastFailover: this.failover.state.current,
      counters: {
        rounds: this.stats.rounds,
        probes: this.stats.probes,
        rowsWritten: this.getStats().rowsWritten,
        failovers: { ...this.failover.outcomes },
      },
    });
    const key = significantKey(view);
    const significant = key !== this.last?.key;
    this.last = { status: view, key };
    if (significant || now - this.lastSentAt >= REFRESH_MS) {
      this.lastSentAt = now;
      this.ctx.waitUntil(this.sendToFleet(current.fleet, view, significant));
    }
  }

  private async sendToFleet(fleet: string, view: StoreStatus, significant: boolean): Promise<void> {
    try {
      await fleetStub(this.env, fleet).reportStatus(view, significant);
    } catch (err) {
      // The next round (or the one-minute refresh) sends it again; say where it failed.
      console.error(`store ${view.id}: could not report its status to fleet ${fleet}:`, err);
      if (significant && this.last) this.last = { ...this.last, key: '' };
    }
  }

  private recordRollups(c: Classification, probes: RoundSample['probes'], now: number): void {
    const interval = (this.state?.config.intervalSeconds ?? 5) * 1000;
    // Time in the startup grace is unmonitored, neither up nor down: it never enters the rollups.
    // Planned maintenance is neither: it does not count against availability.
    if (c.status === 'unknown' || this.duties.window !== null) return;
    const { acc, completed } = addRound(
      this.rollup,
      { at: now, primaryServing: c.primaryServing, probes },
      3 * interval,
    );
    this.rollup = acc;
    if (completed.length > 0) this.history.saveMinutes(completed);
    this.history.prune(now);
    if (completed.length > 0 && now - this.lastUptimeAt >= UPTIME_EVERY_MS) this.refreshHistory(now);
  }

  /**
   * The public page's view of this store (uptime, 90 days, incidents in public words), sent to the
   * Fleet every UPTIME_EVERY_MS and whenever the status changes; skipped when nothing changed.
   */
  private refreshHistory(now: number): void {
    const state = this.state;
    if (!state) return;
    this.lastUptimeAt = now;
    const { uptime, days } = this.history.publicDays(now, flush(this.rollup));
    const incidents = publicIncidents(
      this.history.statusChanges(now - INCIDENT_WINDOW_MS),
      this.failover.failovers(20),
    );
    const history: PublicHistory = { uptime, days, incidents, planned: this.duties.publicPlanned(state.config, now) };
    const key = JSON.stringify(history, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
    if (key === this.lastUptime) return;
    this.lastUptime = key;
    this.ctx.waitUntil(
      fleetStub(this.env, state.fleet)
        .reportHistory(state.config.store.id, history)
        .then(
          () => undefined,
          (err: unknown) => {
            this.lastUptime = '';
            console.error(`store ${state.config.store.id}: could not report its public history:`, err);
          },
        ),
    );
  }

  private addEvent(at: number, type: StoreEvent['type'], message: string, status?: StoreStatusName): void {
    this.history.addEvent(at, type, message, status);
  }
}
