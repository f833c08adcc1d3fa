/**
 * Everything a StoreMonitor does on a clock besides probing and failing over: maintenance windows,
 * scheduled-job heartbeats, resource warnings and the alerts they all raise. The monitor calls it
 * once per round (`observe`, then `evaluateAlerts` once the status is known) and on each alarm
 * (`deliverDue`); it owns its tables and meta keys.
 */
import { failoverNotice, storeConditions } from '#shared/alerts/conditions.ts';
import { iso, isoOrNull } from '#shared/iso-time.ts';
import type { StoreStatusView } from '#shared/monitor/store-status.ts';
import {
  describeProblem,
  type ResourceProblem,
  type ResourceReading,
  type ResourceTrack,
  resourceProblems,
  trackResources,
} from '#shared/resources.ts';
import { startAfter } from '#shared/schedules/cron-starts.ts';
import { describeSlot, isProblem, lastRunEvent } from '#shared/schedules/heartbeat.ts';
import type { ActiveWindow } from '#shared/schedules/maintenance.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import type { Failover } from '#shared/schemas/status.ts';
import { readMeta, writeMeta } from '../storage/sql.ts';
import { type Deliver, MonitorAlerts } from './alerting.ts';
import type { MonitorHistory } from './history.ts';
import { type Heartbeat, type JobView, MonitorJobs } from './jobs.ts';
import { type MaintenanceView, MonitorMaintenance } from './maintenance.ts';

const NOTICE_WITHIN_MS = 3600_000;
const PLANNED_HORIZON_MS = 7 * 24 * 3600_000;

const slotJson = (at: number, timeZone: string) => ({ at: iso(at), local: describeSlot(at, timeZone) });

/** A slot run on two nodes, in words: the warning and the critical alert's text. */
const doubledWords = (view: JobView, timeZone: string) =>
  view.doubled
    ? `slot ${describeSlot(view.doubled.slot, timeZone)} ran on ${view.doubled.nodes.length} nodes (${view.doubled.nodes.join(', ')}): split brain, or the job runs without primary-only mode on a node`
    : null;

export function jobSummary(view: JobView, timeZone: string, now: number) {
  const last = lastRunEvent(view.record);
  const next = startAfter(view.job.schedule, timeZone, now);
  return {
    id: view.job.id,
    name: view.job.name ?? view.job.id,
    schedule: view.job.schedule,
    graceSeconds: view.job.graceSeconds,
    maxRunSeconds: view.job.maxRunSeconds ?? null,
    state: view.health.state,
    reason: view.health.reason,
    expectedAt: isoOrNull(view.health.expectedAt),
    lastStart: isoOrNull(view.record.lastStart),
    lastSuccess: isoOrNull(view.record.lastSuccess),
    lastFail: isoOrNull(view.record.lastFail),
    lastMessage: view.record.lastMessage,
    lastRun: last ? { at: iso(last.at), event: last.event, node: view.record.lastNode } : null,
    nextSlot: next === null ? null : slotJson(next, timeZone),
    doubled: view.doubled ? { ...slotJson(view.doubled.slot, timeZone), nodes: view.doubled.nodes } : null,
  };
}
export type JobSummary = ReturnType<typeof jobSummary>;

export class StoreDuties {
  private readonly alerts: MonitorAlerts;
  private readonly jobs: MonitorJobs;
  private readonly maintenance: MonitorMaintenance;
  private resourceTrack: ResourceTrack = {};
  private resources: ResourceProblem[] = [];
  private jobViews: JobView[] = [];
  private writes = 0;
  /** The window active as of the last round, and the one last logged (persisted: logged once). */
  window: ActiveWindow | null = null;
  private loggedWindow: string | null;
  /** Late or failed jobs and sustained resource use, in words: they make a healthy store degraded. */
  warnings: string[] = [];

  constructor(
    private readonly sql: SqlStorage,
    private readonly history: MonitorHistory,
    deliver: Deliver,
  ) {
    this.alerts = new MonitorAlerts(sql, history, deliver);
    this.jobs = new MonitorJobs(sql);
    this.maintenance = new MonitorMaintenance(sql);
    this.loggedWindow = readMeta(sql, 'window_logged') || null;
  }

  get rowsWritten(): number {
    return this.writes + this.alerts.rowsWritten + this.jobs.rowsWritten + this.maintenance.rowsWritten;
  }

  /** A new or changed config: new jobs are watched from now on, removed ones forgotten. */
  configure(config: MonitorConfig, now: number): void {
    this.jobs.sync(config.store.jobs ?? [], now);
  }

  /** One round: which window is active, the resource readings, the jobs' health. */
  observe(config: MonitorConfig, readings: ResourceReading[], now: number): void {
    this.window = this.maintenance.active(config.maintenance, now, config.store.timezone);
    this.logWindow(now);
    this.resourceTrack = trackResources(this.resourceTrack, readings, config.resources, now);
    this.refresh(config, now);
    this.jobs.prune(now);
  }

  private refresh(config: MonitorConfig, now: number): void {
    this.resources = resourceProblems(this.resourceTrack, config.resources, now, (key) =>
      this.alerts.isOpen(`resource:${key}`),
    );
    this.jobViews = this.jobs.views(config.store.jobs ?? [], config.store.timezone, now);
    const zone = config.store.timezone;
    this.warnings = [
      ...this.jobViews.flatMap((v) =>
        isProblem(v.health.state) ? [`job ${v.job.id}: ${v.health.reason ?? v.health.state}`] : [],
      ),
      ...this.jobViews.flatMap((v) => (v.doubled ? [`job ${v.job.id}: ${doubledWords(v, zone)}`] : [])),
      ...this.resources.map(describeProblem),
    ];
  }

  private logWindow(now: number): void {
    const id = this.window?.id ?? null;
    if (id === this.loggedWindow) return;
    if (this.loggedWindow !== null)
      this.history.addEvent(now, 'maintenance', `maintenance window "${this.loggedWindow}" ended`);
    if (this.window) {
      const until = iso(this.window.end);
      this.history.addEvent(
        now,
        'maintenance',
        `maintenance window "${this.window.id}" began (${this.window.reason}), until ${until}`,
      );
    }
    this.loggedWindow = id;
    this.writes += writeMeta(this.sql, 'window_logged', id ?? '');
  }

  /** The round's conditions through the alert engine; a failover's end as a one-off notice. */
  evaluateAlerts(
    config: MonitorConfig,
    base: StoreStatusView,
    failover: Failover | null,
    now: number,
    selfFenced: Array<{ node: string; leaseSeconds: number }> = [],
  ): void {
    const { store } = config;
    const { conditions, undetermined } = storeConditions({
      selfFenced,
      storeName: store.name,
      status: base.status,
      reasons: base.reasons,
      resources: this.resources,
      jobs: this.jobViews.map((v) => ({
        id: v.job.id,
        name: v.job.name ?? v.job.id,
        health: v.health,
        doubled: doubledWords(v, store.timezone),
      })),
    });
    // A failover that ended long ago (before alerting was configured, or before an upgrade) is history,
    // not news: only one that ended within the hour is announced.
    const endedAt = failover ? Date.parse(failover.completedAt ?? failover.decidedAt) : 0;
    const notice = failover && now - endedAt < NOTICE_WITHIN_MS ? failoverNotice(store.name, failover) : null;
    this.alerts.evaluate({
      now,
      store: { id: store.id, name: store.name, region: store.region ?? null },
      channels: config.alerts.channels,
      reminderMs: config.alerts.reminderMinutes * 60_000,
      flapMs: config.alerts.flapSeconds * 1000,
      held: this.window !== null,
      conditions,
      undetermined,
      notices: notice && failover ? [{ ...notice, key: `${notice.key}:${failover.state}` }] : [],
    });
  }

  dueAt(): number | null {
    return this.alerts.dueAt();
  }

  deliverDue(config: MonitorConfig, now: number): Promise<void> {
    return this.alerts.deliverDue(now, config.alerts.channels);
  }

  // ---- what the RPC methods answer --------------------------------------------------------------

  heartbeat(config: MonitorConfig, jobId: string, beat: Heartbeat, now: number) {
    const job = config.store.jobs?.find((j) => j.id === jobId);
    if (!job) return null;
    this.jobs.heartbeat(job, config.store.timezone, beat, now);
    this.refresh(config, now);
    const view = this.jobViews.find((v) => v.job.id === jobId);
    return view ? jobSummary(view, config.store.timezone, now) : null;
  }

  jobList(config: MonitorConfig, now: number): JobSummary[] {
    const zone = config.store.timezone;
    return this.jobs.views(config.store.jobs ?? [], zone, now).map((v) => jobSummary(v, zone, now));
  }

  jobRuns(jobId: string, limit: number, before: number | null) {
    return this.jobs.runs(jobId, limit, before);
  }

  maintenanceView(config: MonitorConfig, now: number): MaintenanceView {
    return this.maintenance.view(config.maintenance, now, config.store.timezone);
  }

  /** The next planned window within a week, in public words: times only. */
  publicPlanned(config: MonitorConfig, now: number): { start: string; end: string } | null {
    const next = this.maintenance.view(config.maintenance, now, config.store.timezone).next;
    if (!next || next.start - now > PLANNED_HORIZON_MS) return null;
    return { start: iso(next.start), end: iso(next.end) };
  }

  startMaintenance(input: { reason: string; start: number; end: number; by: string }, now: number) {
    const window = this.maintenance.add(input, now);
    this.history.addEvent(
      now,
      'maintenance',
      `${input.by} scheduled maintenance "${window.id}" (${input.reason}) from ${iso(input.start)} to ${iso(input.end)}`,
    );
    return window;
  }

  endMaintenance(id: string | null, by: string, now: number): boolean {
    const ended = this.maintenance.end(id, now);
    if (ended) this.history.addEvent(now, 'maintenance', `${by} ended maintenance${id ? ` "${id}"` : ''}`);
    return ended;
  }

  openAlerts() {
    return this.alerts.openAlerts().map((a) => ({ ...a, openedAt: iso(a.openedAt) }));
  }

  reset(): void {
    this.alerts.reset();
    this.jobs.reset();
    this.maintenance.reset();
    this.resourceTrack = {};
    this.resources = [];
    this.jobViews = [];
    this.window = null;
    this.loggedWindow = null;
    this.warnings = [];
  }
}
