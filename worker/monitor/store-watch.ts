/**
 * Everything a StoreMonitor holds for its store, and how it publishes it: the config and the
 * observations (two records that never overwrite each other), the warm in-memory state, the parts
 * that own tables (history, endpoints, failover machine, duties), and the status composed from them
 * and handed to the Fleet. The Durable Object class keeps only its RPC surface and its alarm.
 */

import { channelSecrets } from '#shared/alerts/routing.ts';
import { dayOfZone } from '#shared/local-day.ts';
import { countsTowardUptime } from '#shared/monitor/cadence.ts';
import { historyDue } from '#shared/monitor/reporting.ts';
import { type Composed, composeStatus } from '#shared/monitor/store-status.ts';
import { addRound, type RoundSample } from '#shared/rollup.ts';
import { deliverAlert } from '../alerts/deliver.ts';
import { EndpointViews } from './endpoint-views.ts';
import { FailoverRunner } from './failover-runner.ts';
import { type ReportTarget, reportHistory, reportStatus } from './fleet-report.ts';
import { MonitorHistory } from './history.ts';
import { LeaseKeeper } from './lease-keeper.ts';
import {
  type ConfigRecord,
  freshWarm,
  loadConfig,
  loadObserved,
  type MonitorStats,
  noObservations,
  type Observed,
  saveObserved,
  type Warm,
} from './monitor-state.ts';
import { publicHistory } from './public-history.ts';
import { StoreDuties } from './store-duties.ts';

/** Agents answer actions at once (202) and work after; this bounds a send that gets no answer. */
export const ACTION_TIMEOUT_MS = 5000;

export interface WatchHost {
  env: Env;
  sql: SqlStorage;
  clock(): number;
  waitUntil(promise: Promise<unknown>): void;
}

export class StoreWatch {
  readonly history: MonitorHistory;
  readonly endpoints: EndpointViews;
  readonly failover: FailoverRunner;
  /** Maintenance windows, job heartbeats, resource warnings and the alerts they raise. */
  readonly duties: StoreDuties;
  /** Leases granted to the primary, and the standbys' evidence for the promote gate. */
  readonly leases = new LeaseKeeper();
  cfg: ConfigRecord | null;
  observed: Observed;
  warm: Warm = freshWarm();

  constructor(readonly host: WatchHost) {
    const { sql, env } = host;
    this.history = new MonitorHistory(sql);
    this.cfg = loadConfig(sql);
    this.observed = loadObserved(sql, host.clock());
    if (this.cfg) this.history.dayOf = dayOfZone(this.cfg.config.store.timezone);
    this.endpoints = new EndpointViews(sql, this.history);
    this.failover = new FailoverRunner({
      sql,
      history: this.history,
      now: () => host.clock(),
      storeId: () => this.cfg?.config.store.id ?? null,
      nodeUrl: (id) => this.cfg?.config.store.nodes.find((n) => n.id === id)?.url ?? null,
      actionTimeoutMs: () => Math.max(this.cfg?.config.timeoutMs ?? 0, ACTION_TIMEOUT_MS),
      webhookSecret: env.WEBHOOK_SECRET,
      gate: (state, now) => this.leases.gate(state, this.cfg?.config, now),
    });
    this.duties = new StoreDuties(sql, this.history, (channel, message) =>
      // The real clock, not `clock`: receivers check the signature's timestamp against theirs.
      deliverAlert(channel, message, channelSecrets(channel, env), { now: Date.now(), timeoutMs: ACTION_TIMEOUT_MS }),
    );
  }

  /** The store left the config and its storage was wiped: forget everything held in memory too. */
  reset(): void {
    this.cfg = null;
    this.observed = noObservations(this.host.clock());
    this.warm = freshWarm(this.storeRows());
    this.endpoints.reset();
    this.failover.reset();
    this.duties.reset();
    this.leases.reset();
  }

  setObserved(observed: Observed): void {
    this.observed = observed;
    this.warm.stats.rowsWritten += saveObserved(this.host.sql, observed);
  }

  stats(): MonitorStats {
    const { stats, rowsBefore } = this.warm;
    return { ...stats, rowsWritten: stats.rowsWritten + this.storeRows() - rowsBefore };
  }

  private storeRows(): number {
    return [this.history, this.failover, this.duties, this.endpoints].reduce((sum, p) => sum + p.rowsWritten, 0);
  }

  /**
   * Composes the status, logs a change, and hands the summary to the Fleet when it changed (or once
   * a minute for the live figures). Null before the first round.
   */
  publish(now: number): Composed | null {
    const { cfg, warm } = this;
    const c = warm.classification;
    if (!cfg || !c) return null;
    const stats = this.stats();
    const composed = composeStatus({
      config: cfg.config,
      classification: c,
      machine: this.failover.state,
      window: this.duties.window,
      warnings: this.duties.warnings,
      previous: this.observed,
      now,
      counters: { ...stats, failovers: { ...this.failover.outcomes } },
    });
    const { status: view, key } = composed;
    if (composed.changed) {
      const why = view.reasons[0] ? `: ${view.reasons[0]}` : '';
      this.history.addEvent(now, 'status', `${this.observed.status} → ${view.status}${why}`, view.status);
      this.setObserved({ ...this.observed, status: view.status, since: now });
      // Sent once the round's data is in the rollups (end of this round, or the next one).
      warm.historyPending = true;
    }
    reportStatus(this.reportTarget(cfg.fleet), view, key, now);
    return composed;
  }

  /**
   * Adds the round to the rollups when it counts toward uptime; then sends the public history when a
   * status change awaits it or `historyDue` says so.
   */
  recordRollups(probes: RoundSample['probes'], now: number): void {
    const { cfg, warm } = this;
    const c = warm.classification;
    if (!cfg || !c) return;
    let completedMinutes = 0;
    if (countsTowardUptime(c.status, this.duties.window !== null)) {
      const interval = cfg.config.intervalSeconds * 1000;
      const round = { at: now, primaryServing: c.primaryServing, probes };
      const { acc, completed } = addRound(warm.rollup, round, 3 * interval);
      warm.rollup = acc;
      if (completed.length > 0) this.history.saveMinutes(completed);
      this.history.prune(now);
      completedMinutes = completed.length;
    }
    const settled = warm.historyHadFigures && this.observed.status === 'healthy';
    const { lastHistoryAt } = warm;
    if (warm.historyPending || historyDue({ completedMinutes, lastHistoryAt, now, settled })) this.refreshHistory(now);
  }

  /** Sends the public history to the Fleet when it changed. */
  refreshHistory(now: number): void {
    const { cfg, warm } = this;
    if (!cfg) return;
    warm.lastHistoryAt = now;
    warm.historyPending = false;
    const history = publicHistory(this, cfg.config, warm.rollup, now);
    warm.historyHadFigures = history.uptime['24h'] !== null;
    reportHistory(this.reportTarget(cfg.fleet), cfg.config.store.id, history);
  }

  private reportTarget(fleet: string): ReportTarget {
    return { env: this.host.env, fleet, warm: this.warm, waitUntil: (p) => this.host.waitUntil(p) };
  }
}
