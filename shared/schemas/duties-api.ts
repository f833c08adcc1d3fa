/** What the API says about a store's jobs, maintenance windows and open alerts (docs/PROTOCOL.md section 8). */
import { z } from 'zod';
import { JOB_EVENTS, JobState } from '../schedules/heartbeat.ts';
import { Severity } from './alerting.ts';
import { Iso } from './common.ts';

export const HeartbeatRequest = z.strictObject({
  event: z.enum(JOB_EVENTS),
  message: z.string().max(1000).optional(),
  /** Names one run, so its start and end pair up (and two signed heartbeats never look alike). */
  run: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1..64 letters, digits, . _ : -')
    .optional(),
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
});

export const JobRun = z.object({
  at: Iso,
  event: z.enum(JOB_EVENTS),
  message: z.string().nullable(),
  run: z.string().nullable(),
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
