/**
 * The lease settings of a store's failover policy (contract section 6), for shared/schemas/config.ts
 * to merge: `failover.leaseSeconds` (default half the threshold, rounded down) and
 * `failover.selfFence` (default true), and the rule a JSON schema cannot say.
 *
 * Why the rule: the edge's last successful probe of a primary, with its lease, can be up to one
 * interval plus one timeout before the edge starts counting the loss; if the lease outlasted the
 * threshold from there, a primary cut off from everyone would still hold it when the threshold
 * expires. `leaseSeconds + intervalSeconds + timeoutMs/1000 < thresholdSeconds` keeps its self-fence
 * ahead of the failover decision. The contract states the rule without condition, so it holds with
 * `selfFence: false` too: turning self-fencing back on must never need another config change to be
 * safe, and a config is valid or not whatever switch it carries.
 */
import { z } from 'zod';

export const LeaseSeconds = z.number().int().min(1).max(3600);

/** Optional fields to add to `FailoverPolicy` and `FailoverOverride`. */
export const LeasePolicyFields = {
  leaseSeconds: LeaseSeconds.optional(),
  selfFence: z.boolean().optional(),
};

export function defaultLeaseSeconds(thresholdSeconds: number): number {
  return Math.max(1, Math.floor(thresholdSeconds / 2));
}

export interface LeaseSettings {
  thresholdSeconds: number;
  intervalSeconds: number;
  timeoutMs: number;
  leaseSeconds?: number | undefined;
  selfFence?: boolean | undefined;
}

export type LeaseCheck =
  | { ok: true; leaseSeconds: number; selfFence: boolean }
  /** `path` is relative to the store (or to `defaults`): prefix it with `stores[i].` or `defaults.`. */
  | { ok: false; problems: Array<{ path: string; message: string }> };

/** The lease in force for merged settings, or why they are rejected. */
export function checkLeaseConfig(s: LeaseSettings): LeaseCheck {
  const selfFence = s.selfFence ?? true;
  const leaseSeconds = s.leaseSeconds ?? defaultLeaseSeconds(s.thresholdSeconds);
  const total = leaseSeconds + s.intervalSeconds + s.timeoutMs / 1000;
  if (total < s.thresholdSeconds) return { ok: true, leaseSeconds, selfFence };
  return {
    ok: false,
    problems: [
      {
        path: 'failover.leaseSeconds',
        message:
          `leaseSeconds (${leaseSeconds}${s.leaseSeconds === undefined ? ', the default' : ''}) + intervalSeconds ` +
          `(${s.intervalSeconds}) + timeoutMs/1000 (${s.timeoutMs / 1000}) = ${total} must be below ` +
          `thresholdSeconds (${s.thresholdSeconds}), or a primary cut off from everyone could still hold ` +
          'its lease when its standby is promoted; lower leaseSeconds or intervalSeconds, or raise thresholdSeconds',
      },
    ],
  };
}

/** The status reason for a store with `selfFence: false`. */
export function selfFenceOffReason(primary: string | null): string {
  const who = primary ?? 'the primary';
  return (
    `self-fencing is off for this store: ${who}, if cut off from the edge and its standby, ` +
    'keeps taking writes, and a failover can then leave two primaries'
  );
}
