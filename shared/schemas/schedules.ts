/**
 * What runs on a clock in the fleet config: maintenance windows, scheduled jobs that send
 * heartbeats, and the resource thresholds. Cron expressions are checked by croner, the same
 * library that evaluates them, so a schedule accepted here is one the monitor can run.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { SecretName } from './alerting.ts';
import { Id, Iso } from './common.ts';

/** Five fields (minute hour day month weekday) or a nickname such as @daily; evaluated in the store's zone. */
export const CronExpression = z
  .string()
  .max(200)
  .superRefine((expr, ctx) => {
    const fields = expr.trim().split(/\s+/);
    if (!expr.trim().startsWith('@') && fields.length !== 5) {
      ctx.addIssue({ code: 'custom', message: 'must have five fields: minute hour day-of-month month day-of-week' });
      return;
    }
    let cron: Cron;
    try {
      cron = new Cron(expr, { paused: true });
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a valid cron expression: ${(err as Error).message}` });
      return;
    }
    // croner accepts a date that never comes (`0 2 31 4 *`); such a job would never be due and such
    // a window never open, silently. Searching from 1970 makes the answer independent of today.
    if (cron.nextRun(new Date(0)) === null) ctx.addIssue({ code: 'custom', message: 'never runs: no date matches it' });
  });

export const MaintenanceWindow = z
  .strictObject({
    id: Id,
    /** Which stores: listed ids and every store of the listed regions. At least one of the two. */
    stores: z.array(z.string()).max(5000).optional(),
    regions: z.array(z.string()).max(500).optional(),
    reason: z.string().trim().min(1).max(200).default('planned maintenance'),
    /** One-off: start and end. */
    start: Iso.optional(),
    end: Iso.optional(),
    /** Recurring: each start by cron in the store's time zone, lasting durationMinutes. */
    cron: CronExpression.optional(),
    durationMinutes: z.number().int().min(1).max(10080).optional(),
  })
  .superRefine((w, ctx) => {
    if (!w.stores?.length && !w.regions?.length)
      ctx.addIssue({ code: 'custom', path: ['stores'], message: 'name at least one store or region' });
    const oneOff = w.start !== undefined || w.end !== undefined;
    const recurring = w.cron !== undefined || w.durationMinutes !== undefined;
    if (oneOff === recurring) {
      ctx.addIssue({ code: 'custom', message: 'give either start and end, or cron and durationMinutes' });
    } else if (oneOff) {
      if (w.start === undefined || w.end === undefined)
        ctx.addIssue({
          code: 'custom',
          path: [w.start !== undefined ? 'end' : 'start'],
          message: 'a one-off window needs both',
        });
      // Only two valid times are compared: this runs after a format issue too, and Date.parse reads a
      // time with no offset in the runtime's own zone, which would add a false "must be after start".
      else if (
        Iso.safeParse(w.start).success &&
        Iso.safeParse(w.end).success &&
        Date.parse(w.end) <= Date.parse(w.start)
      )
        ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
    } else if (w.cron === undefined || w.durationMinutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [w.cron !== undefined ? 'durationMinutes' : 'cron'],
        message: 'a recurring window needs both cron and durationMinutes',
      });
    }
  });
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

/** A window as one store's monitor holds it: the config's, or one an operator opened by API. */
export const StoreWindow = z.object({
  id: z.string(),
  reason: z.string(),
  start: z.number().optional(),
  end: z.number().optional(),
  cron: z.string().optional(),
  durationMinutes: z.number().optional(),
});
export type StoreWindow = z.infer<typeof StoreWindow>;

export const Job = z.strictObject({
  id: Id,
  name: z.string().trim().min(1).max(200).optional(),
  /** When runs are expected, in the store's time zone. */
  schedule: CronExpression,
  /** How late a run may start (or finish, with no start sent) before it counts as missed. */
  graceSeconds: z.number().int().min(0).max(86400).default(300),
  /** A run that started and has not finished after this long is flagged. */
  maxRunSeconds: z.number().int().min(1).max(86400).optional(),
  /** A Worker secret holding this job's own bearer token (otherwise the hook must be signed). */
  tokenSecret: SecretName.optional(),
});
export type Job = z.infer<typeof Job>;

const percent = z.number().min(1).max(100);
export const ResourceThresholds = z.strictObject({
  cpuPercent: percent.default(90),
  memoryPercent: percent.default(90),
  diskPercent: percent.default(90),
  /** CPU and memory must stay above their threshold this long; disk counts at once. */
  sustainSeconds: z.number().int().min(0).max(86400).default(300),
});
export type ResourceThresholds = z.infer<typeof ResourceThresholds>;
export const ResourceOverride = z.strictObject({
  cpuPercent: percent.optional(),
  memoryPercent: percent.optional(),
  diskPercent: percent.optional(),
  sustainSeconds: z.number().int().min(0).max(86400).optional(),
});
