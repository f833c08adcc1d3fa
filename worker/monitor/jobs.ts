/**
 * A store's scheduled jobs as the monitor keeps them: each job's heartbeat record (what the pure
 * `jobHealth` judges, and which node ran which slot) and the heartbeat history, one row per
 * heartbeat with the node that sent it, kept 30 days.
 */
import { z } from 'zod';
import {
  applyJobEvent,
  JobEvent,
  type JobHealth,
  JobRecord,
  jobHealth,
  newJobRecord,
  slotOf,
} from '#shared/schedules/heartbeat.ts';
import { type DoubledSlot, doubledSlot, noteNodeRun } from '#shared/schedules/job-slots.ts';
import type { Job } from '#shared/schemas/schedules.ts';
import { allRows, jsonColumn, write } from '../storage/sql.ts';

const StateRow = z.object({ id: z.string(), record: z.string() });
const RunRow = z.object({
  at: z.number(),
  event: JobEvent,
  message: z.string().nullable(),
  run: z.string().nullable(),
  node: z.string().nullable(),
  epoch: z.number().nullable(),
});
const RUN_RETENTION_MS = 30 * 24 * 3600 * 1000;
const MAX_MESSAGE = 500;

/** One heartbeat as the hook received it; `node` and `epoch` when the sender named them. */
export interface Heartbeat {
  event: JobEvent;
  message: string | null;
  run: string | null;
  node: string | null;
  epoch: number | null;
}

export interface JobView {
  job: Job;
  record: JobRecord;
  health: JobHealth;
  /** The newest slot run, when more than one node ran it. */
  doubled: DoubledSlot | null;
}

export class MonitorJobs {
  rowsWritten = 0;
  private records = new Map<string, JobRecord>();
  private loaded = false;
  private lastPrunedAt = 0;
  /**
   * The last views and until when they hold (the earliest `recheckAt`): the monitor asks every round,
   * and without a heartbeat or a config change nothing can change before then, so croner need not run.
   */
  private cache: { jobs: Job[]; timeZone: string; from: number; until: number; views: JobView[] } | null = null;

  constructor(private readonly sql: SqlStorage) {}

  private w(query: string, ...args: Array<string | number | null>) {
    this.rowsWritten += write(this.sql, query, ...args);
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const row of allRows(this.sql, StateRow, 'SELECT id, record FROM job_state'))
      this.records.set(row.id, jsonColumn(JobRecord, row.record, 'job state'));
  }

  private put(id: string, record: JobRecord): void {
    this.records.set(id, record);
    this.cache = null;
    this.w(
      'INSERT INTO job_state (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record',
      id,
      JSON.stringify(record),
    );
  }

  /** Starts watching new jobs from now (a slot before that is never late) and forgets removed ones. */
  sync(jobs: Job[], now: number): void {
    this.load();
    for (const job of jobs) if (!this.records.has(job.id)) this.put(job.id, newJobRecord(now));
    for (const id of [...this.records.keys()]) {
      if (jobs.some((j) => j.id === id)) continue;
      this.records.delete(id);
      this.cache = null;
      this.w('DELETE FROM job_state WHERE id = ?', id);
      this.w('DELETE FROM job_runs WHERE job = ?', id);
    }
  }

  heartbeat(job: Job, timeZone: string, beat: Heartbeat, now: number): void {
    this.load();
    const { event, run, node } = beat;
    const record = this.records.get(job.id) ?? newJobRecord(now);
    const text = beat.message?.slice(0, MAX_MESSAGE) ?? null;
    let next = applyJobEvent(record, event, now, text, node);
    const slot = event !== 'skipped' && node !== null ? slotOf(job, timeZone, now, record.nodeRuns) : null;
    if (slot !== null && node !== null) next = { ...next, nodeRuns: noteNodeRun(next.nodeRuns, { slot, node, run }) };
    this.put(job.id, next);
    this.w(
      'INSERT INTO job_runs (job, at, event, message, run, node, epoch) VALUES (?, ?, ?, ?, ?, ?, ?)',
      job.id,
      now,
      event,
      text,
      run,
      node,
      beat.epoch,
    );
  }

  views(jobs: Job[], timeZone: string, now: number): JobView[] {
    this.load();
    const c = this.cache;
    if (c && c.jobs === jobs && c.timeZone === timeZone && now >= c.from && now < c.until) return c.views;
    const views = jobs.flatMap((job) => {
      const record = this.records.get(job.id);
      if (!record) return [];
      return [{ job, record, health: jobHealth(job, timeZone, record, now), doubled: doubledSlot(record.nodeRuns) }];
    });
    // An overrun's reason counts how long the run has gone on: it is worked out afresh each time.
    const until = views.some((v) => v.health.state === 'overrun')
      ? now
      : Math.min(...views.map((v) => v.health.recheckAt ?? Number.POSITIVE_INFINITY));
    this.cache = { jobs, timeZone, from: now, until, views };
    return views;
  }

  runs(jobId: string, limit: number, before: number | null) {
    return allRows(
      this.sql,
      RunRow,
      'SELECT at, event, message, run, node, epoch FROM job_runs WHERE job = ? AND at < ? ORDER BY id DESC LIMIT ?',
      jobId,
      before ?? Number.MAX_SAFE_INTEGER,
      limit,
    ).map((r) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  /** Hourly at most: deletes are billed as rows written. */
  prune(now: number): void {
    if (now - this.lastPrunedAt < 3600_000) return;
    this.lastPrunedAt = now;
    this.w('DELETE FROM job_runs WHERE at < ?', now - RUN_RETENTION_MS);
  }

  reset(): void {
    this.records.clear();
    this.loaded = false;
    this.cache = null;
  }
}
