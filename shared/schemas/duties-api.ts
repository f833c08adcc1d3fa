/** What the API says about a store's jobs, maintenance windows and open alerts (docs/PROTOCOL.md section 8). */
import { z } from 'zod';
import { JOB_EVENTS, JobState, RUN_EVENTS } from '../schedules/heartbeat.ts';
import { Severity } from './alerting.ts';
import { Id, Iso } from './common.ts';

export const HeartbeatRequest = z.strictObject({
  event: z.enum(JOB_EVENTS),
  message: z.string().max(1000).optional(),
  /** Names one run, so its start and end pair up (and two signed heartbeats never look alike). */
  run: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1..64 letters, digits, . _ : -')
    .optional(),
  /** The node the job ran (or stood aside) on: a primary-only job names it, so the monitor sees each slot's node. */
  node: Id.optional(),
  /** The epoch that node followed when it decided. */
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});

const SlotJson = z.object({
  at: Iso,
  /** `HH:MM (Zone)` in the store's time zone. */
  local: z.string(),
});

export const JobSummary = z.object({
  id: z.string(),
  name: z.string(),
  schedule: z.string(),
  graceSeconds: z.number().int(),
  maxRunSeconds: z.number().int().nullable(),
  state: JobState,
  reason: z.string().nullable(),
  expectedAt: Iso.nullable(),
  lastStart: Iso.nullable(),
  lastSuccess: Iso.nullable(),
  lastFail: Iso.nullable(),
  lastMessage: z.string().nullable(),
  /** The latest run event, and the node that sent it when it named one. */
  lastRun: z.object({ at: Iso, event: z.enum(RUN_EVENTS), node: z.string().nullable() }).nullable(),
  /** The next slot after now, in UTC and in the store's time zone; null if the schedule never runs again. */
  nextSlot: SlotJson.nullable(),
  /** The newest slot that was run, when it was run on more than one node (a critical alert). */
  doubled: SlotJson.extend({ nodes: z.array(z.string()) }).nullable(),
});

export const JobRun = z.object({
  at: Iso,
  event: z.enum(JOB_EVENTS),
  message: z.string().nullable(),
  run: z.string().nullable(),
  node: z.string().nullable(),
  epoch: z.number().int().nullable(),
});

export const MaintenanceRequest = z
  .strictObject({
    reason: z.string().trim().min(1).max(200),
    /** Default: now. */
    start: Iso.optional(),
    /** Either an end time or a length in minutes. */
    until: Iso.optional(),
    minutes: z.number().int().min(1).max(10080).optional(),
  })
  .refine((b) => (b.until === undefined) !== (b.minutes === undefined), {
    message: 'give exactly one of until or minutes',
    path: ['minutes'],
  });

export const WindowJson = z.object({
  id: z.string(),
  reason: z.string(),
  start: Iso.optional(),
  end: Iso.optional(),
  cron: z.string().optional(),
  durationMinutes: z.number().int().optional(),
  source: z.enum(['config', 'api']).optional(),
  by: z.string().optional(),
});
const ActiveJson = z.object({ id: z.string(), reason: z.string(), start: Iso, end: Iso });

export const MaintenanceState = z.object({
  active: ActiveJson.nullable(),
  next: ActiveJson.nullable(),
  windows: z.array(WindowJson),
});

export const OpenAlert = z.object({ condition: z.string(), severity: Severity, title: z.string(), openedAt: Iso });
