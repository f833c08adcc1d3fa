/**
 * Clock-rate bounds and the stretch every lease wait is multiplied by.
 *
 * Assumptions (contract section 6): every host measures time on a monotonic clock whose rate is
 * within ±1 % of real time (`RATE_MIN`..`RATE_MAX` local seconds per real second), and every message
 * (probe, lease, reply, report, action) arrives within the probe timeout D, real time, or never.
 *
 * Why `DRIFT_STRETCH = RATE_MAX / RATE_MIN`: a renewal (lease or standby reply) that left at real
 * time s reaches the primary by s + D and keeps it writable for L seconds of the primary's clock, at
 * most L / RATE_MIN real seconds: the primary is writable through it until s + D + L / RATE_MIN at
 * the latest. A wait of W seconds on the monitor's clock lasts at least W / RATE_MAX real seconds.
 * With W = DRIFT_STRETCH · (L + D): W / RATE_MAX = (L + D) / RATE_MIN ≥ D + L / RATE_MIN, so a wait
 * of `renewalWaitMs` started when the renewal left has always outlasted it. The time the agent takes
 * to make its fence effective (`SELF_FENCE_APPLY_MS`, on its clock) counts as part of L. With the
 * default 15 s lease and 2 s timeout: 1.0202… · 18 s = 18.37 s.
 */
export const CLOCK_RATE_TOLERANCE = 0.01;
export const RATE_MIN = 1 - CLOCK_RATE_TOLERANCE;
export const RATE_MAX = 1 + CLOCK_RATE_TOLERANCE;
export const DRIFT_STRETCH = RATE_MAX / RATE_MIN;

/**
 * The longest a primary's agent may take, on its own clock, from the moment `decideSelfFence` says
 * `fence` (timer lateness included) until its database refuses every write. The agent must meet it
 * (for PostgreSQL: stop the server when the read-only switch and ending the sessions take longer);
 * the monitor's wait counts it as part of the lease.
 */
export const SELF_FENCE_APPLY_MS = 1000;

/**
 * How long, on the monitor's clock, a renewal of `leaseSeconds` sent with a `timeoutMs` delay bound
 * can keep the primary writable: DRIFT_STRETCH · (L + D + SELF_FENCE_APPLY_MS), rounded up.
 */
export function renewalWaitMs(leaseSeconds: number, timeoutMs: number): number {
  return Math.ceil(DRIFT_STRETCH * (leaseSeconds * 1000 + timeoutMs + SELF_FENCE_APPLY_MS));
}
