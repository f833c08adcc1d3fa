/**
 * A store's alerts, carried out: the engine's state kept in the object's storage (so a restart
 * neither re-sends nor forgets an alert), an outbox of deliveries per channel retried with backoff
 * through the store's one alarm, and every delivery's outcome in the event log.
 */
import { z } from 'zod';
import { ALERT_CATALOG, type AlertKey } from '#shared/alerts/catalog.ts';
import { type Condition, stepAlerts } from '#shared/alerts/engine.ts';
import { type AlertStore, alertMessage, noticeMessage } from '#shared/alerts/message.ts';
import { sendsTo } from '#shared/alerts/routing.ts';
import type { Locale } from '#shared/i18n/locale.ts';
import { AlertMessage } from '#shared/schemas/alert.ts';
import { type RoutedChannel, Severity } from '#shared/schemas/alerting.ts';
import type { DeliveryOutcome } from '../alerts/deliver.ts';
import { allRows, firstRow, jsonColumn, readMeta, write, writeMeta } from '../storage/sql.ts';
import type { MonitorHistory } from './history.ts';

const Phrase = z.object({
  key: z.enum(Object.keys(ALERT_CATALOG.en) as [AlertKey, ...AlertKey[]]),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
const AlertRecord = z.object({
  severity: Severity,
  title: z.string(),
  text: z.string(),
  phrase: Phrase.optional(),
  details: z.array(Phrase).optional(),
  openedAt: z.number(),
  lastSentAt: z.number().nullable(),
  clearSince: z.number().nullable(),
});
const Persisted = z.object({
  open: z.record(z.string(), AlertRecord),
  /** Notices already sent (failover outcomes), so a restart does not send them twice. */
  noticed: z.array(z.string()),
});
type Persisted = z.infer<typeof Persisted>;
const NOTICES_KEPT = 50;

/** Retry delays after the first attempt; then the delivery is given up (and logged). */
export const RETRY_DELAYS_MS = [10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000];
const PER_ALARM = 20;

const OutboxRow = z.object({ id: z.number(), channel: z.string(), message: z.string(), attempts: z.number() });

export type Deliver = (channel: RoutedChannel['channel'], message: AlertMessage) => Promise<DeliveryOutcome>;

export interface EvaluateInput {
  now: number;
  store: AlertStore;
  channels: RoutedChannel[];
  reminderMs: number;
  flapMs: number;
  held: boolean;
  conditions: Condition[];
  undetermined: (key: string) => boolean;
  notices: Condition[];
}

export class MonitorAlerts {
  rowsWritten = 0;
  private state: Persisted;
  private nextDue: number | null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly history: MonitorHistory,
    private readonly deliver: Deliver,
  ) {
    this.state = this.load();
    this.nextDue = this.loadNextDue();
  }

  private w(query: string, ...args: Array<string | number | null>) {
    this.rowsWritten += write(this.sql, query, ...args);
  }

  private load(): Persisted {
    const raw = readMeta(this.sql, 'alerts');
    return raw !== null ? jsonColumn(Persisted, raw, 'alert state') : { open: {}, noticed: [] };
  }

  private save(): void {
    this.rowsWritten += writeMeta(this.sql, 'alerts', JSON.stringify(this.state));
  }

  private loadNextDue(): number | null {
    const row = firstRow(
      this.sql,
      z.object({ at: z.number().nullable() }),
      'SELECT min(next_at) AS at FROM alert_outbox',
    );
    return row?.at ?? null;
  }

  /** Keys of the alerts open now. */
  isOpen = (condition: string): boolean => condition in this.state.open;

  openAlerts(): Array<{ condition: string; severity: Severity; title: string; openedAt: number }> {
    return Object.entries(this.state.open).map(([condition, r]) => ({
      condition,
      severity: r.severity,
      title: r.title,
      openedAt: r.openedAt,
    }));
  }

  /** One round's conditions through the engine; what it decides to send goes to the outbox. */
  evaluate(input: EvaluateInput): void {
    const step = stepAlerts(this.state.open, input.conditions, {
      now: input.now,
      reminderMs: input.reminderMs,
      flapMs: input.flapMs,
      held: input.held,
      undetermined: input.undetermined,
    });
    let changed = step.changed;
    for (const key of Object.keys(step.state))
      if (!(key in this.state.open)) this.history.addEvent(input.now, 'alert', `opened: ${step.state[key]?.title}`);
    for (const send of step.sends) {
      if (send.kind === 'resolved') this.history.addEvent(input.now, 'alert', `resolved: ${send.title}`);
      this.enqueue(input.channels, (locale) => alertMessage(input.store, send, input.now, locale), input.now);
    }
    this.state = { ...this.state, open: step.state };
    for (const notice of input.notices) {
      if (this.state.noticed.includes(notice.key)) continue;
      this.state = { ...this.state, noticed: [...this.state.noticed, notice.key].slice(-NOTICES_KEPT) };
      this.enqueue(input.channels, (locale) => noticeMessage(input.store, notice, input.now, locale), input.now);
      changed = true;
    }
    if (changed) this.save();
  }

  /** One message per channel, each in the channel's language. */
  private enqueue(channels: RoutedChannel[], message: (locale: Locale) => AlertMessage, now: number): void {
    for (const { channel, minSeverity } of channels) {
      const localized = message(channel.locale);
      if (!sendsTo({ minSeverity }, localized.severity)) continue;
      this.w(
        'INSERT INTO alert_outbox (channel, message, attempts, next_at) VALUES (?, ?, 0, ?)',
        channel.id,
        JSON.stringify(localized),
        now,
      );
      this.nextDue = Math.min(this.nextDue ?? now, now);
    }
  }

  dueAt(): number | null {
    return this.nextDue;
  }

  /** Sends what is due; each outcome goes to the event log, failures back to the outbox with backoff. */
  async deliverDue(now: number, channels: RoutedChannel[]): Promise<void> {
    if (this.nextDue === null || this.nextDue > now) return;
    const due = allRows(
      this.sql,
      OutboxRow,
      'SELECT id, channel, message, attempts FROM alert_outbox WHERE next_at <= ? ORDER BY id LIMIT ?',
      now,
      PER_ALARM,
    );
    await Promise.all(due.map((row) => this.attempt(row, now, channels)));
    this.nextDue = this.loadNextDue();
  }

  private async attempt(row: z.infer<typeof OutboxRow>, now: number, channels: RoutedChannel[]): Promise<void> {
    const message = jsonColumn(AlertMessage, row.message, 'alert outbox');
    const what = `${message.kind} alert "${message.condition}"`;
    const routed = channels.find((c) => c.channel.id === row.channel);
    if (!routed) {
      this.w('DELETE FROM alert_outbox WHERE id = ?', row.id);
      this.history.addEvent(
        now,
        'alert',
        `${what} not sent: channel "${row.channel}" is no longer routed to this store`,
      );
      return;
    }
    const { channel } = routed;
    let outcome: DeliveryOutcome;
    try {
      outcome = await this.deliver(channel, message);
    } catch (err) {
      outcome = { ok: false, status: null, error: err instanceof Error ? err.message : String(err), retryable: true };
    }
    const attempts = row.attempts + 1;
    const target = `${channel.type} channel "${channel.id}"`;
    if (outcome.ok) {
      this.w('DELETE FROM alert_outbox WHERE id = ?', row.id);
      this.history.addEvent(
        now,
        'alert',
        `${what} delivered to ${target}${attempts > 1 ? ` (attempt ${attempts})` : ''}`,
      );
      return;
    }
    const delay = RETRY_DELAYS_MS[row.attempts];
    if (outcome.retryable && delay !== undefined) {
      this.w('UPDATE alert_outbox SET attempts = ?, next_at = ? WHERE id = ?', attempts, now + delay, row.id);
      this.history.addEvent(
        now,
        'alert',
        `${what} failed (attempt ${attempts}): ${outcome.error ?? target}; retrying in ${delay / 1000} s`,
      );
      return;
    }
    this.w('DELETE FROM alert_outbox WHERE id = ?', row.id);
    const why = outcome.retryable ? `after ${attempts} attempts` : 'not retryable';
    this.history.addEvent(now, 'alert', `${what} given up (${why}): ${outcome.error ?? target}`);
  }

  reset(): void {
    this.state = { open: {}, noticed: [] };
    this.nextDue = null;
  }
}
