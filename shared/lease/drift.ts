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
 * of `stretchedMs(L + D)` started when the renewal left has always outlasted it. With rates of
 * exactly 1 % the stretch is 1.0202…: 17 s of lease plus timeout become 17.35 s.
 */
export const CLOCK_RATE_TOLERANCE = 0.01;
export const RATE_MIN = 1 - CLOCK_RATE_TOLERANCE;
export const RATE_MAX = 1 + CLOCK_RATE_TOLERANCE;
export const DRIFT_STRETCH = RATE_MAX / RATE_MIN;

/** How long, on the monitor's clock, a renewal of `leaseSeconds` sent with a `timeoutMs` delay bound can last. */
export function renewalWaitMs(leaseSeconds: number, timeoutMs: number): number {
  return Math.ceil(DRIFT_STRETCH * (leaseSeconds * 1000 + timeoutMs));
}
