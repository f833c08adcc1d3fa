/**
 * The alert state machine, one per store: which conditions have an open alert, and what to send.
 * Pure: the StoreMonitor feeds it the conditions it sees each round and applies the sends.
 *
 * - A condition that appears opens one alert (dedup key: store and condition) and is sent at once.
 * - While it stays open a reminder goes out every `reminderMs` (0: never).
 * - It resolves only after staying clear for `flapMs`: a condition that flaps inside that time stays
 *   one alert, with no storm of open/resolved pairs.
 * - `held` (a maintenance window): nothing opens or reminds; a condition still open when the window
 *   ends is sent then. Resolutions still go out: they end an alert someone already has.
 * - A condition whose state cannot be judged this round (`undetermined`, e.g. the status after a
 *   restart, before the startup grace is over) keeps its record as it is: a restart neither re-sends
 *   nor forgets an alert.
 */
import type { Severity } from '../schemas/alerting.ts';
import type { Phrase } from './catalog.ts';

export interface Condition {
  /** The dedup key within the store: "outage", "degraded", "job:<id>", "resource:<node>:<kind>". */
  key: string;
  severity: Severity;
  /** In English, for the event log; `phrase` gives it in each channel's language. */
  title: string;
  text: string;
  phrase?: Phrase | undefined;
  /** `text`'s lines in each channel's language, where mirrorwatch wrote them (absent: `text` as it is). */
  details?: Phrase[] | undefined;
}

export interface AlertRecord {
  severity: Severity;
  title: string;
  text: string;
  /** Absent in records stored before alerts spoke more than English: those go out as `title`. */
  phrase?: Phrase | undefined;
  details?: Phrase[] | undefined;
  openedAt: number;
  /** When the open or the last reminder was sent; null while held and never sent. */
  lastSentAt: number | null;
  /** Since when the condition has been clear; null while it holds. */
  clearSince: number | null;
}

export type AlertState = Record<string, AlertRecord>;

export type SendKind = 'open' | 'reminder' | 'resolved';
export interface AlertSend {
  kind: SendKind;
  condition: string;
  severity: Severity;
  title: string;
  text: string;
  phrase?: Phrase | undefined;
  details?: Phrase[] | undefined;
  openedAt: number;
}

export interface AlertInput {
  now: number;
  reminderMs: number;
  flapMs: number;
  held: boolean;
  undetermined: (condition: string) => boolean;
}

export interface AlertStep {
  state: AlertState;
  sends: AlertSend[];
  /** Whether the state differs from the one given (worth a storage write). */
  changed: boolean;
}

const sendOf = (kind: SendKind, condition: string, r: AlertRecord): AlertSend => ({
  kind,
  condition,
  severity: r.severity,
  title: r.title,
  text: r.text,
  phrase: r.phrase,
  details: r.details,
  openedAt: r.openedAt,
});

export function stepAlerts(state: AlertState, active: Condition[], input: AlertInput): AlertStep {
  const { now, held } = input;
  const next: AlertState = {};
  const sends: AlertSend[] = [];
  let changed = false;
  const seen = new Set<string>();

  for (const c of active) {
    seen.add(c.key);
    const prev = state[c.key];
    if (!prev) {
      const record: AlertRecord = {
        severity: c.severity,
        title: c.title,
        text: c.text,
        phrase: c.phrase,
        details: c.details,
        openedAt: now,
        lastSentAt: held ? null : now,
        clearSince: null,
      };
      next[c.key] = record;
      if (!held) sends.push(sendOf('open', c.key, record));
      changed = true;
      continue;
    }
    const record: AlertRecord = {
      ...prev,
      severity: c.severity,
      title: c.title,
      text: c.text,
      phrase: c.phrase,
      details: c.details,
      clearSince: null,
    };
    if (prev.clearSince !== null || prev.severity !== c.severity) changed = true;
    if (!held && record.lastSentAt === null) {
      record.lastSentAt = now;
      sends.push(sendOf('open', c.key, record));
      changed = true;
    } else if (
      !held &&
      input.reminderMs > 0 &&
      record.lastSentAt !== null &&
      now - record.lastSentAt >= input.reminderMs
    ) {
      record.lastSentAt = now;
      sends.push(sendOf('reminder', c.key, record));
      changed = true;
    }
    next[c.key] = record;
  }

  for (const [key, prev] of Object.entries(state)) {
    if (seen.has(key)) continue;
    if (input.undetermined(key)) {
      next[key] = prev;
      continue;
    }
    const clearSince = prev.clearSince ?? now;
    if (now - clearSince >= input.flapMs) {
      // Resolved. One never sent (opened and cleared inside a maintenance window) goes quietly.
      if (prev.lastSentAt !== null) sends.push(sendOf('resolved', key, prev));
      changed = true;
      continue;
    }
    if (prev.clearSince === null) changed = true;
    next[key] = { ...prev, clearSince };
  }
  return { state: next, sends, changed };
}
