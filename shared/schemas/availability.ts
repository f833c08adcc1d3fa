/**
 * The availability report (`GET /api/v1/reports/availability`): its query and its answer. Days are
 * each store's own calendar days (its `timezone`), as its 90-day bar counts them.
 */
import { z } from 'zod';
import { Iso } from './common.ts';
import { FailoverState } from './status.ts';

export const REPORT_FORMATS = ['json', 'csv'] as const;
/** Day rollups are kept 400 days (shared/rollup.ts): a longer span could only be partly answered. */
export const REPORT_MAX_DAYS = 400;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ReportDate = z
  .string({ error: 'is required, as YYYY-MM-DD' })
  .regex(DAY, 'must be a date as YYYY-MM-DD')
  .refine((s) => !DAY.test(s) || new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date');

export const ReportQuery = z
  .strictObject({
    from: ReportDate,
    to: ReportDate,
    region: z.string().min(1, 'must be a region name').max(100, 'must be a region name').optional(),
    format: z.enum(REPORT_FORMATS, { error: 'must be json or csv' }).default('json'),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must be on or after from' })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < REPORT_MAX_DAYS, {
    path: ['to'],
    message: `the report spans at most ${REPORT_MAX_DAYS} days`,
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

export const ReportFailover = z.object({
  id: z.string(),
  state: FailoverState,
  mode: z.enum(['auto', 'manual', 'hook']),
  from: z.string().nullable(),
  to: z.string(),
  /** Start of the outage (no serving primary, from the status log) the failover answered; null for a switchover. */
  outageStartedAt: Iso.nullable(),
  /** When the monitor detected the trouble that led to the failover. */
  detectedAt: Iso.nullable(),
  decidedAt: Iso,
  completedAt: Iso.nullable(),
  /** Detection → decision: the failover threshold, plus an operator's confirmation when manual. */
  decisionSeconds: z.number().nullable(),
  /** Recovery time: the outage's start (or the detection, if earlier) → the new primary serving; null unless completed. */
  rtoSeconds: z.number().nullable(),
  /** Data-loss bound: how far behind the target was when promoted (seconds of writes that may be lost). */
  lagSecondsAtDecision: z.number().nullable(),
  dataLossAllowed: z.boolean(),
});
export type ReportFailover = z.infer<typeof ReportFailover>;

export const StoreAvailability = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string().nullable(),
  timezone: z.string(),
  /** Percent of monitored time with a serving primary; null when the span was not monitored at all. */
  availability: z.number().nullable(),
  monitoredMinutes: z.number(),
  downMinutes: z.number(),
  /** Outages (no serving primary) that began in the span. */
  incidents: z.number().int(),
  /** Spells of degraded service (still serving) that began in the span. */
  degradedIncidents: z.number().int(),
  failovers: z.array(ReportFailover),
});
export type StoreAvailability = z.infer<typeof StoreAvailability>;

export const AvailabilityReport = z.object({
  from: z.string(),
  to: z.string(),
  region: z.string().nullable(),
  generatedAt: Iso,
  stores: z.array(StoreAvailability),
});
export type AvailabilityReport = z.infer<typeof AvailabilityReport>;
