/** The Fleet's audit log (`GET /api/v1/audit`) and the epoch adoption request. */
import { z } from 'zod';
import { Iso } from './common.ts';

export const AUDIT_ACTIONS = [
  'config.change',
  'failover.request',
  'failover.confirm',
  'maintenance.open',
  'maintenance.end',
  'reinstate.request',
  'epoch.adopt',
  'incident.note',
] as const;
export const AuditAction = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof AuditAction>;

/** `done`: it happened; `refused`: it was asked for and turned down (with the reasons). */
export const AuditOutcome = z.enum(['done', 'refused']);

/** What a route hands the Fleet; the Fleet adds the id and the time. */
export const AuditInput = z.strictObject({
  /** `operator:<token name>`, `hook`, `auto`…: never a value the caller wrote. */
  who: z.string().min(1).max(200),
  action: AuditAction,
  store: z.string().max(64).nullable(),
  what: z.string().max(2000),
  outcome: AuditOutcome,
  reasons: z.array(z.string()).optional(),
  /** For config changes: which stores were added, changed and removed. */
  change: z
    .strictObject({ added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()) })
    .optional(),
});
export type AuditInput = z.infer<typeof AuditInput>;

export const AuditEntry = AuditInput.extend({ id: z.string(), at: Iso });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditPage = z.object({ entries: z.array(AuditEntry), next: z.string().nullable() });
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/)
    .transform(Number)
    .optional(),
});

export const EpochRequest = z.strictObject({
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  reason: z.string().trim().min(1, 'a reason is required').max(500),
});
export type EpochRequest = z.infer<typeof EpochRequest>;
