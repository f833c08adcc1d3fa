/**
 * When a StoreMonitor tells the Fleet: its summary when something significant changed, or every
 * REFRESH_MS so the live figures (latency, lag) stay fresh; its public history every
 * UPTIME_EVERY_MS (or when the status changed), and only when it differs from what was sent.
 */

/** How often the Fleet's copy of volatile figures (latency, lag) is refreshed without a change. */
export const REFRESH_MS = 60_000;
/** How often the public history (uptime, days, incidents) is recomputed while the status holds. */
export const UPTIME_EVERY_MS = 10 * 60_000;

export function shouldReportStatus(input: { significant: boolean; lastSentAt: number; now: number }): boolean {
  return input.significant || input.now - input.lastSentAt >= REFRESH_MS;
}

/** After a round that closed `completedMinutes` rollup minutes: is the public history due? */
export function historyDue(input: { completedMinutes: number; lastHistoryAt: number; now: number }): boolean {
  return input.completedMinutes > 0 && input.now - input.lastHistoryAt >= UPTIME_EVERY_MS;
}

/** A history equal (to the thousandth) to the last one sent is not sent again. */
export function historyKey(history: unknown): string {
  return JSON.stringify(history, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
}
