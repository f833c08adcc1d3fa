/**
 * When a StoreMonitor tells the Fleet: its summary when something significant changed, or every
 * REFRESH_MS so the live figures (latency, lag) stay fresh; its public history after a round that
 * closed a minute, every minute while it is unsettled (anything open, a status change not yet
 * published with a round's data, a last history without figures) and every UPTIME_EVERY_MS
 * otherwise, and only when it differs from what was sent.
 */

/** How often the Fleet's copy of volatile figures (latency, lag) is refreshed without a change. */
export const REFRESH_MS = 60_000;
/** How often the public history (uptime, days, incidents) is recomputed while all is well. */
export const UPTIME_EVERY_MS = 10 * 60_000;

export function shouldReportStatus(input: { significant: boolean; lastSentAt: number; now: number }): boolean {
  return input.significant || input.now - input.lastSentAt >= REFRESH_MS;
}

export interface HistoryDueInput {
  /** Rollup minutes the round just closed. */
  completedMinutes: number;
  lastHistoryAt: number;
  now: number;
  /**
   * The store is healthy and the last history sent is current: it had a 24 h figure and no status
   * change happened since. Anything else is refreshed every minute.
   */
  settled: boolean;
}

/** After a round: is the public history due? */
export function historyDue(input: HistoryDueInput): boolean {
  if (input.completedMinutes === 0) return false;
  return !input.settled || input.now - input.lastHistoryAt >= UPTIME_EVERY_MS;
}

/** A history equal (to the thousandth) to the last one sent is not sent again. */
export function historyKey(history: unknown): string {
  return JSON.stringify(history, (_k, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v));
}
