/**
 * The StoreMonitor Durable Object: one per store. A single alarm drives everything: probe rounds,
 * the failover machine's deadlines, alert deliveries. This class is the object's surface (RPC and
 * alarm); what it holds is a StoreWatch, a round is applied by `applyRound`, and every decision is a
 * pure function in `shared/` (classify, the failover machine, `shared/monitor/*`).
 */
import { DurableObject } from 'cloudflare:workers';
import { ARBITER_PRINCIPAL } from '#shared/keys.ts';
import { pushFitsHeld } from '#shared/lease/held-primary.ts';
import { dayOfZone } from '#shared/local-day.ts';
import { afterFailoverStep, dueAt } from '#shared/monitor/cadence.ts';
import { staleStart } from '#shared/primary-gate.ts';
import { spanBounds, storeAvailability } from '#shared/report/availability.ts';
import { flush } from '#shared/rollup.ts';
import type { Uptime } from '#shared/schemas/api.ts';
import type { StoreAvailability } from '#shared/schemas/availability.ts';
import { type MonitorConfig, MonitorConfigSchema } from '#shared/schemas/config.ts';
import { AgentReport } from '#shared/schemas/report.ts';
import type { Failover, StoreEvent, StoreStatus } from '#shared/schemas/status.ts';
import { type AdoptAnswer, adoption } from './adopt-epoch.ts';
import { applyRound } from './apply-round.ts';
import type { RequestAnswer, RequestInput } from './failover-runner.ts';
import type { EventQuery } from './history.ts';
import type { Heartbeat } from './jobs.ts';
import type { SignedLease } from './lease-keeper.ts';
import { type MonitorStats, saveConfig } from './monitor-state.ts';
import type { Clock } from './probe.ts';
import { pushRefusal } from './push-principal.ts';
import { ConsumeInput, consumeOnce } from './replay-memory.ts';
import { ensureMonitorSchema } from './schema.ts';
import type { JobSummary } from './store-duties.ts';
import { StoreWatch } from './store-watch.ts';

export type { MonitorStats };

export type PushAnswer = { accepted: true; lease?: SignedLease } | { accepted: false; reason: string };

export class StoreMonitor extends DurableObject<Env> {
  /** Overridable by tests (through runInDurableObject) to run rounds on a simulated clock. */
  clock: Clock = () => Date.now();

  private readonly w: StoreWatch;
  private running: Promise<void> | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ensureMonitorSchema(ctx.storage);
    this.w = new StoreWatch({
      env,
      sql: ctx.storage.sql,
      clock: () => this.clock(),
      waitUntil: (p) => ctx.waitUntil(p),
    });
  }

  // ---- RPC -------------------------------------------------------------------------------------

  /**
   * Applies a config (a no-op when unchanged) and makes sure the alarm is set. Called by the Fleet
   * on every config change and by the watchdog cron. Returns true when the alarm had gone missing.
   */
  async ensure(config: MonitorConfig, fleet: string): Promise<boolean> {
    ensureMonitorSchema(this.ctx.storage); // again: remove() may have wiped the database
    const { w } = this;
    const parsed = MonitorConfigSchema.parse(config);
    const now = this.clock();
    const changed = !w.cfg || JSON.stringify(w.cfg.config) !== JSON.stringify(parsed) || w.cfg.fleet !== fleet;
    if (changed) {
      const first = !w.cfg;
      w.cfg = { config: parsed, fleet };
      w.warm.stats.rowsWritten += saveConfig(this.ctx.storage.sql, w.cfg);
      w.history.dayOf = dayOfZone(parsed.store.timezone);
      w.duties.configure(parsed, now);
      w.warm.lastHistoryAt = 0; // the windows may have changed: the public view is refreshed at the next round
      w.history.addEvent(now, 'config', first ? 'monitoring started' : 'configuration changed');
      w.warm.requestedRoundAt = now;
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
    this.w.reset();
  }

  async status(): Promise<StoreStatus | null> {
    return this.w.warm.last?.status ?? null;
  }

  events(query: EventQuery): { events: StoreEvent[]; next: number | null } {
    return this.w.history.events({ ...query, limit: Math.min(Math.max(1, query.limit), 1000) });
  }

  /**
   * A heartbeat from a scheduled job (the hook route checked who sent it): the job's summary,
   * `unknown_job`, `unknown_node` when it names a node the store does not have, or `stale_epoch`
   * for a run's start from a node behind the store's epoch (it must not run; nothing is recorded).
   */
  heartbeat(
    jobId: string,
    beat: Heartbeat,
  ): { job: JobSummary } | { refused: 'unknown_job' | 'unknown_node' } | { refused: 'stale_epoch'; why: string } {
    const config = this.w.cfg?.config;
    if (!config) return { refused: 'unknown_job' };
    if (beat.node !== null && !config.store.nodes.some((n) => n.id === beat.node)) return { refused: 'unknown_node' };
    const stale = staleStart(beat.event, beat.node, beat.epoch, this.w.observed.epoch);
    if (stale !== null) return { refused: 'stale_epoch', why: stale };
    const now = this.clock();
    const job = this.w.duties.heartbeat(config, jobId, beat, now);
    if (!job) return { refused: 'unknown_job' };
    this.w.publish(now);
    return { job };
  }

  /** The Worker secret holding a job's own token, if its config names one. */
  jobTokenSecret(jobId: string): string | null {
    return this.w.cfg?.config.store.jobs?.find((j) => j.id === jobId)?.tokenSecret ?? null;
  }

  jobs(): JobSummary[] {
    return this.w.cfg ? this.w.duties.jobList(this.w.cfg.config, this.clock()) : [];
  }

  jobRuns(jobId: string, limit: number, before: number | null) {
    return this.w.duties.jobRuns(jobId, Math.min(Math.max(1, limit), 1000), before);
  }

  maintenance() {
    return this.w.cfg ? this.w.duties.maintenanceView(this.w.cfg.config, this.clock()) : null;
  }

  /** An operator opens a window (from now unless `start` is given), effective at the next round. */
  async startMaintenance(input: { reason: string; start: number | null; end: number; by: string }) {
    if (!this.w.cfg) return null;
    const now = this.clock();
    const window = this.w.duties.startMaintenance({ ...input, start: input.start ?? now }, now);
    this.w.refreshHistory(now);
    await this.roundNow();
    return window;
  }

  /** Ends operator-opened windows (one by id, or all); false when none was open. */
  async endMaintenance(id: string | null, by: string): Promise<boolean> {
    if (!this.w.cfg) return false;
    const ended = this.w.duties.endMaintenance(id, by, this.clock());
    if (ended) {
      this.w.refreshHistory(this.clock());
      await this.roundNow();
    }
    return ended;
  }

  openAlerts() {
    return this.w.duties.openAlerts();
  }

  uptime(): Uptime {
    return this.w.history.uptime(this.clock(), flush(this.w.warm.rollup));
  }

  getStats(): MonitorStats {
    return this.w.stats();
  }

  /**
   * A report an agent pushed, signed with the key of `principal` (a node id or `arbiter`, checked by
   * the hook route): it must be that principal's own. It counts as that node's (or the arbiter's)
   * view while fresh; the edge view stays what the edge itself reaches, and an epoch it reports is
   * weighed exactly as a probed one (never adopted after first contact). The held serving primary
   * gets its lease in the answer (contract section 6); a standby's report is evidence for the gate.
   */
  async pushReport(report: AgentReport, principal: string): Promise<PushAnswer> {
    const config = this.w.cfg?.config;
    if (!config) return { accepted: false, reason: 'the store is not monitored' };
    const parsed = AgentReport.safeParse(report);
    if (!parsed.success) return { accepted: false, reason: `invalid report: ${parsed.error.issues[0]?.message ?? ''}` };
    const why = pushRefusal(config.store, parsed.data, principal);
    if (why) return { accepted: false, reason: why };
    const now = this.clock();
    this.w.endpoints.push(parsed.data, now);
    if (principal === ARBITER_PRINCIPAL) return { accepted: true };
    const { leases } = this.w;
    leases.afterPush(parsed.data, now, config.timeoutMs);
    const grant = pushFitsHeld(parsed.data, leases.held) && leases.grantFor(principal, config, this.w.failover.state);
    if (!grant) return { accepted: true };
    // The answer leaves after this returns: counted as sent a timeout later, never before it left.
    leases.leaseSent(now + config.timeoutMs);
    const lease = await leases.sign(this.env.WEBHOOK_SECRET, config.store.id, principal, grant, Date.now());
    // A failover decided while it was being signed keeps it from going out.
    if (!lease || !leases.grantFor(principal, config, this.w.failover.state)) return { accepted: true };
    return { accepted: true, lease };
  }

  /**
   * Replay memory for this store's signed requests: true the first time `key` is seen (the route
   * passes `<timestamp>:<hex sha256 of the body>`), false after, until `forgetAfterMs`. False also
   * for a store not monitored: nothing is accepted for it.
   */
  consumeSignature(key: string, forgetAfterMs: number, nowMs: number): boolean {
    const input = ConsumeInput.safeParse({ key, forgetAfterMs, nowMs });
    if (!input.success || !this.w.cfg) return false;
    const { fresh, rows } = consumeOnce(this.ctx.storage.sql, input.data);
    this.w.warm.stats.rowsWritten += rows;
    return fresh;
  }

  /**
   * An operator adopts an epoch a node reports (docs/PROTOCOL.md section 5): above the store's, or below
   * it in an epoch regression (re-baselining a rebuilt cluster). Refused with the reasons otherwise.
   */
  async adoptEpoch(input: { epoch: number; by: string; reason: string }): Promise<AdoptAnswer> {
    const answer = adoption(this.w, input);
    if (!answer.ok) return answer;
    await this.roundNow(); // the status shows the new epoch at once
    return answer;
  }

  /** The availability report of this store over its local days `fromDay`..`toDay`; null before it is configured. */
  availability(fromDay: number, toDay: number): StoreAvailability | null {
    const store = this.w.cfg?.config.store;
    if (!store) return null;
    const now = this.clock();
    const { start, end } = spanBounds(fromDay, toDay);
    return storeAvailability({
      store: { id: store.id, name: store.name, region: store.region ?? null, timezone: store.timezone },
      fromDay,
      toDay,
      days: this.w.history.reportDays(fromDay, toDay, now, flush(this.w.warm.rollup)),
      // A day before the span: an outage running when it starts still has its start.
      changes: this.w.history.statusChangesBetween(start - 86_400_000, end),
      failovers: this.w.failover.failovers(10_000),
    });
  }

  failovers(limit = 50): Failover[] {
    return this.w.failover.failovers(Math.min(Math.max(1, limit), 500));
  }

  /** An operator's or a signed hook's failover request (or confirmation), checked like any decision. */
  async requestFailover(input: RequestInput): Promise<RequestAnswer> {
    const answer = await this.w.failover.request(this.w.warm.view, input);
    const now = this.clock();
    this.w.publish(now);
    // A decision may have started a failover: probe again at once to watch it through.
    this.w.warm.scheduledRoundAt = afterFailoverStep(this.w.warm.scheduledRoundAt, this.w.failover.state.phase, now);
    await this.arm();
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
    const { w } = this;
    if (!w.cfg) return; // removed, or never configured: nothing to watch
    const { scheduledRoundAt: scheduled, requestedRoundAt: requested } = w.warm;
    if (this.clock() >= dueAt({ scheduled, requested })) await applyRound(w);
    const machineDue = w.failover.dueAt();
    if (machineDue !== null && this.clock() >= machineDue) {
      await w.failover.run({ type: 'timer', now: this.clock() });
      w.publish(this.clock());
    }
    const alertsDue = w.duties.dueAt();
    const cfg = w.cfg;
    if (cfg && alertsDue !== null && this.clock() >= alertsDue) await w.duties.deliverDue(cfg.config, this.clock());
    await this.arm();
  }

  /** The one alarm, set for the earliest task: the next probe round or the machine's next deadline. */
  private async arm(): Promise<void> {
    if (!this.w.cfg) return;
    const { scheduledRoundAt: scheduled, requestedRoundAt: requested } = this.w.warm;
    const at = dueAt({ scheduled, requested }, this.w.failover.dueAt(), this.w.duties.dueAt());
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, at - this.clock()));
  }

  private async roundNow(): Promise<void> {
    this.w.warm.requestedRoundAt = this.clock();
    await this.arm();
  }
}
