/**
 * Health of a scheduled job (a store's sync, its nightly snapshot) from the heartbeats it sends:
 * `start` when a run begins, `success` or `fail` when it ends. Jobs may send only the end events.
 * The monitor keeps one `JobRecord` per job, folds each heartbeat in with `applyJobEvent`, and asks
 * `jobHealth` on its alarm; both are pure, with `now` passed in.
 *
 * Slots are the cron starts of `job.schedule` in the store's zone (croner: a start in a DST gap
 * moves to 03:00, a repeated hour runs once). The states, highest precedence first:
 *
 * - overrun: `maxRunSeconds` is set, the latest event is a `start`, and `now - lastStart` exceeds it.
 * - failed: the latest event is a `fail`; it stays failed until a later `start` or `success`.
 * - late: the latest slot T with `T + grace <= now` and `T >= since` got no heartbeat (any event) at
 *   or after `T - tolerance`, where tolerance = min(grace, half the gap to the slot before T): a run
 *   that starts a little early still counts, the previous slot's run does not. A job added after a
 *   slot (T < since) is not late for it. Only the latest due slot is judged, so a missed run is
 *   forgiven once a later one reports.
 * - running: the latest event is a `start` (within `maxRunSeconds` when set).
 * - pending: nothing reported yet and no slot due since `since`; ok: otherwise.
 *
 * Late outranks running: a run that started before slot T and is still going when T + grace
 * passes means T's run did not happen (it was skipped or is queued behind a hung one), and without
 * `maxRunSeconds` lateness is the only sign of a hung job, so it must not be hidden by "running".
 * The reason then says which run is still going.
 *
 * Known limit of "any event": a run that ends after the next slot's `T - tolerance` (a 10-minute
 * sync that took 6 minutes) counts for that slot, so one skipped run can go unnoticed until the
 * slot after it. Telling runs apart would need a run id in the heartbeat.
 *
 * `skipped` is not a run: a primary-only job on a standby says it stood aside (the history shows
 * it), and it answers no slot, so a store where every node skips is late like one that never ran.
 * Which node ran which slot is kept separately (./job-slots.ts).
 */
import { z } from 'zod';
import type { Job } from '../schemas/schedules.ts';
import { startAfter, startAtOrBefore, startBefore } from './cron-starts.ts';
import { NodeRun } from './job-slots.ts';

/** The events of a run; a heartbeat may also say `skipped` (this node stood aside). */
export const RUN_EVENTS = ['start', 'success', 'fail'] as const;
export const JOB_EVENTS = [...RUN_EVENTS, 'skipped'] as const;
export const JobEvent = z.enum(JOB_EVENTS);
export type JobEvent = z.infer<typeof JobEvent>;

export const JOB_STATES = ['ok', 'pending', 'running', 'late', 'failed', 'overrun'] as const;
export const JobState = z.enum(JOB_STATES);
export type JobState = z.infer<typeof JobState>;

/** What the monitor stores per job; parsed when loaded, like every stored row. */
export const JobRecord = z.object({
  /** When monitoring of this job began (config time): slots before it are not held against it. */
  since: z.number(),
  lastStart: z.number().nullable(),
  lastSuccess: z.number().nullable(),
  lastFail: z.number().nullable(),
  /** The message sent with the latest event, if any. */
  lastMessage: z.string().nullable(),
  /** The node that sent the latest run event, when it named one (records from before: null). */
  lastNode: z.string().nullable().default(null),
  /** The latest runs by node and slot (./job-slots.ts), to see a slot run on two nodes. */
  nodeRuns: z.array(NodeRun).default([]),
});
export type JobRecord = z.infer<typeof JobRecord>;

export interface JobHealth {
  state: JobState;
  /** Human words for a problem state (null otherwise), naming the slot in the store's local time. */
  reason: string | null;
  /** late: the missed slot. ok, pending, running: the next slot that must report. Otherwise null. */
  expectedAt: number | null;
  /**
   * The earliest instant after `now` at which, with no heartbeat, the answer could change: the
   * state, or for late the slot it names. Null when only a heartbeat can change it.
   */
  recheckAt: number | null;
}

export const isProblem = (state: JobState): boolean => state === 'late' || state === 'failed' || state === 'overrun';

export const newJobRecord = (since: number): JobRecord => ({
  since,
  lastStart: null,
  lastSuccess: null,
  lastFail: null,
  lastMessage: null,
  lastNode: null,
  nodeRuns: [],
});

type Latest = { event: JobEvent; at: number };

/**
 * The newest event. On a tie in the same millisecond a run's end is newer than its start, and a
 * fail newer than a success, so a tie shows the problem rather than hiding it.
 */
function latestEvent(r: JobRecord): Latest | null {
  let latest: Latest | null = null;
  const events: Array<[JobEvent, number | null]> = [
    ['start', r.lastStart],
    ['success', r.lastSuccess],
    ['fail', r.lastFail],
  ];
  for (const [event, at] of events) if (at !== null && (latest === null || at >= latest.at)) latest = { event, at };
  return latest;
}

const later = (had: number | null, at: number) => (had === null ? at : Math.max(had, at));

/**
 * Folds one heartbeat in. Each time only moves forward, so a retried or reordered delivery of an
 * older event changes nothing it should not; the message and node follow the event that is now
 * the latest. A `skipped` heartbeat changes nothing here.
 */
export function applyJobEvent(
  record: JobRecord,
  event: JobEvent,
  at: number,
  message: string | null,
  node: string | null = null,
): JobRecord {
  let next: JobRecord;
  if (event === 'skipped') return record;
  if (event === 'start') next = { ...record, lastStart: later(record.lastStart, at) };
  else if (event === 'success') next = { ...record, lastSuccess: later(record.lastSuccess, at) };
  else next = { ...record, lastFail: later(record.lastFail, at) };
  const newest = latestEvent(next);
  return newest?.event === event && newest.at === at ? { ...next, lastMessage: message, lastNode: node } : next;
}

/** The latest run event (start, success or fail) and when, or null before the first. */
export const lastRunEvent = (record: JobRecord): Latest | null => latestEvent(record);

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM (Zone)` in the store's local time, 24-hour clock: how a slot is named to store staff. */
export function describeSlot(at: number, timeZone: string): string {
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '??';
  return `${part('hour')}:${part('minute')} (${timeZone})`;
}

/** A configured number of seconds, exactly: `5 min`, `2 h`, `90 s`. */
function seconds(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/** An elapsed time, rounded down: `45 min`, `40 s`. */
const elapsed = (ms: number): string =>
  ms >= 60_000 ? `${Math.floor(ms / 60_000)} min` : `${Math.floor(ms / 1000)} s`;

/** One job's slots in its store's zone, and whether a heartbeat at a given instant answers a slot. */
function slots(job: Job, timeZone: string) {
  const graceMs = job.graceSeconds * 1000;
  const tolerance = (slot: number) => {
    const before = startBefore(job.schedule, timeZone, slot);
    return before === null ? graceMs : Math.min(graceMs, (slot - before) / 2);
  };
  const answers = (heartbeat: number | null, slot: number) => heartbeat !== null && heartbeat >= slot - tolerance(slot);
  return {
    graceMs,
    answers,
    /** The latest slot whose grace has run out by `now`. */
    due: (now: number) => startAtOrBefore(job.schedule, timeZone, now - graceMs),
    /**
     * The first slot after `from` that `heartbeat` does not answer. Every slot at or before the
     * heartbeat is answered, and a slot after it is answered only if it is the first one after it
     * (the next one's tolerance is at most half the gap, so it starts after the heartbeat):
     * callers pass `from >= heartbeat`, and the loop runs at most twice.
     */
    unanswered: (from: number, heartbeat: number | null) => {
      let slot = startAfter(job.schedule, timeZone, from);
      while (slot !== null && answers(heartbeat, slot)) slot = startAfter(job.schedule, timeZone, slot);
      return slot;
    },
  };
}

/**
 * The slot a run starting at `at` belongs to, given the runs already noted (`runs`, any node): the
 * latest slot at or before `at`, or the next slot when `at` is within its tolerance (a run that
 * starts a little early). Past the midpoint of a gap both readings fit, so the earlier slot wins
 * while it is still open: nobody has run it and `at` is within its grace (a late run). Otherwise a
 * late run of one slot and the on-time run of the next land in the same slot, and a slot that ran
 * once on each side of a failover reads as run twice. Null before the first slot.
 */
export function slotOf(job: Job, timeZone: string, at: number, runs: readonly NodeRun[] = []): number | null {
  const s = slots(job, timeZone);
  const prev = startAtOrBefore(job.schedule, timeZone, at);
  const next = startAfter(job.schedule, timeZone, at);
  if (next === null || !s.answers(at, next)) return prev;
  const prevOpen = prev !== null && at <= prev + s.graceMs && !runs.some((r) => r.slot === prev);
  return prevOpen ? prev : next;
}

const earliest = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));

export function jobHealth(job: Job, timeZone: string, record: JobRecord, now: number): JobHealth {
  const latest = latestEvent(record);
  const maxRunMs = job.maxRunSeconds === undefined ? null : job.maxRunSeconds * 1000;
  const running = latest?.event === 'start' ? latest.at : null;

  if (running !== null && maxRunMs !== null && now - running > maxRunMs)
    return {
      state: 'overrun',
      reason: `run started ${describeSlot(running, timeZone)} has not finished after ${elapsed(now - running)} (limit ${seconds(maxRunMs / 1000)})`,
      expectedAt: null,
      recheckAt: null,
    };
  if (latest?.event === 'fail')
    return {
      state: 'failed',
      reason: `run failed at ${describeSlot(latest.at, timeZone)}${record.lastMessage ? `: ${record.lastMessage}` : ''}`,
      expectedAt: null,
      recheckAt: null,
    };

  const s = slots(job, timeZone);
  const heartbeat = latest?.at ?? null;
  // Slots not yet due, not before `since`, and not already answered by being at or before the heartbeat.
  const from = Math.max(now - s.graceMs, record.since - 1, heartbeat ?? Number.NEGATIVE_INFINITY);
  const next = s.unanswered(from, heartbeat);
  const overrunAt = running !== null && maxRunMs !== null ? running + maxRunMs + 1 : null;
  const recheckAt = earliest(next === null ? null : next + s.graceMs, overrunAt);

  const due = s.due(now);
  if (due !== null && due >= record.since && !s.answers(heartbeat, due)) {
    const still = running === null ? '' : `; the run started ${describeSlot(running, timeZone)} is still running`;
    return {
      state: 'late',
      reason: `run due ${describeSlot(due, timeZone)} has not reported after ${seconds(job.graceSeconds)} grace${still}`,
      expectedAt: due,
      recheckAt,
    };
  }
  const state = running !== null ? 'running' : latest === null ? 'pending' : 'ok';
  return { state, reason: null, expectedAt: next, recheckAt };
}
