/**
 * One alert message, as the monitor hands it to a channel and as the generic webhook channel
 * posts it (signed like an action, docs/PROTOCOL.md section 4).
 */
import { z } from 'zod';
import { Severity } from './alerting.ts';
import { Iso } from './common.ts';

export const ALERT_KINDS = ['open', 'reminder', 'resolved', 'notice'] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const AlertMessage = z.object({
  /** open: a condition began; reminder: still open; resolved: it cleared; notice: a one-off event. */
  kind: AlertKind,
  /** The dedup key: one open alert per store and condition. */
  key: z.string(),
  storeId: z.string(),
  storeName: z.string(),
  region: z.string().nullable(),
  /** e.g. "outage", "degraded", "job:nightly-snapshot", "resource:gz-a:cpu", "failover:<id>". */
  condition: z.string(),
  severity: Severity,
  /** One line, e.g. "CRITICAL Guangzhou Tianhe: primary down". */
  title: z.string(),
  /** The detail, several lines of plain text. */
  text: z.string(),
  openedAt: Iso,
  at: Iso,
});
export type AlertMessage = z.infer<typeof AlertMessage>;
