/**
 * Carries out the failover machine's decisions for one StoreMonitor: feeds it events one at a time,
 * applies its effects strictly in order (the record and the new epoch are written before anything
 * is sent), sends signed actions and feeds their answers back, and keeps the machine's state in
 * storage so a restarted object resumes the failover instead of starting a second one.
 */

import { z } from 'zod';
import { adoptEpoch, initialState, nextDueAt, transition } from '#shared/failover/machine.ts';
import {
  type FailoverEffect,
  type FailoverEvent,
  FailoverMachineState,
  type GateVerdict,
  type StoreView,
  type Transition,
} from '#shared/failover/types.ts';
import { Failover } from '#shared/schemas/status.ts';
import { allRows, firstRow, jsonColumn, readMeta, type SqlValue, write, writeMeta } from '../storage/sql.ts';
import type { MonitorHistory } from './history.ts';
import { sendAction } from './send-action.ts';

export interface RunnerHost {
  sql: SqlStorage;
  history: MonitorHistory;
  now(): number;
  storeId(): string | null;
  nodeUrl(nodeId: string): string | null;
  actionTimeoutMs(): number;
  webhookSecret: string;
  /** The promote gate for the failover in `state` at `now` (contract section 6), fed with every event. */
  gate(state: FailoverMachineState, now: number): GateVerdict;
}

export type RequestInput = Pick<
  Extract<FailoverEvent, { type: 'request' }>,
  'source' | 'requestedBy' | 'reason' | 'target' | 'allowDataLoss'
>;

export type RequestAnswer = { accepted: true; failover: Failover } | { accepted: false; unmet: string[] };

const JsonRow = z.object({ json: z.string() });
type Ended = 'completed' | 'failed' | 'aborted';
const ended = (state: Failover['state']): state is Ended =>
  state === 'completed' || state === 'failed' || state === 'aborted';

export class FailoverRunner {
  state: FailoverMachineState;
  rowsWritten = 0;
  /** How the failovers recorded here ended, for metrics. */
  readonly outcomes = { completed: 0, failed: 0, aborted: 0 };
  private savedJson: string;
  private restartPending: boolean;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly host: RunnerHost) {
    const raw = readMeta(host.sql, 'machine');
    this.state = raw !== null ? jsonColumn(FailoverMachineState, raw, 'failover machine state') : initialState(0);
    this.savedJson = JSON.stringify(this.state);
    for (const f of this.failovers(10_000)) {
      if (ended(f.state)) this.outcomes[f.state] += 1;
    }
    // Whatever was in flight when the object went away lost its answer: tell the machine first.
    this.restartPending = raw !== null;
  }

  /** The store was removed and its storage wiped: start from nothing. */
  reset(): void {
    this.outcomes.completed = 0;
    this.outcomes.failed = 0;
    this.outcomes.aborted = 0;
    this.state = initialState(0);
    this.savedJson = JSON.stringify(this.state);
    this.restartPending = false;
  }

  /** An operator adopted an epoch: the machine follows (only while idle; see `adoptEpoch`). */
  adoptEpoch(epoch: number): void {
    this.state = adoptEpoch(this.state, epoch);
    this.saveIfChanged();
  }

  dueAt(): number | null {
    return nextDueAt(this.state);
  }

  /** Feeds one event; events never interleave, and every effect is applied before the next event. */
  run(event: FailoverEvent): Promise<FailoverEffect[]> {
    const next = this.queue.then(() => this.process(event));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async request(view: StoreView | null, input: RequestInput): Promise<RequestAnswer> {
    if (!view) {
      return {
        accepted: false,
        unmet: ['the monitor has not completed a probe round since it started; try again in a few seconds'],
      };
    }
    const effects = await this.run({ type: 'request', now: this.host.now(), ...view, ...input });
    const reply = effects.find((e) => e.type === 'reply');
    if (reply?.type !== 'reply') throw new Error('the failover machine gave no answer to a request');
    return reply.accepted ? { accepted: true, failover: reply.failover } : { accepted: false, unmet: reply.unmet };
  }

  failovers(limit: number): Failover[] {
    return allRows(
      this.host.sql,
      JsonRow,
      'SELECT json FROM failover_records ORDER BY decided_at DESC, id DESC LIMIT ?',
      limit,
    ).map((r) => jsonColumn(Failover, r.json, 'failover record'));
  }

  private async process(event: FailoverEvent): Promise<FailoverEffect[]> {
    const collected: FailoverEffect[] = [];
    if (this.restartPending) {
      this.restartPending = false;
      await this.apply(this.step({ type: 'restarted', now: event.now }), collected);
    }
    await this.apply(this.step(event), collected);
    this.saveIfChanged();
    return collected;
  }

  private async apply(t: Transition, collected: FailoverEffect[]): Promise<void> {
    this.state = t.state;
    for (const effect of t.effects) {
      collected.push(effect);
      switch (effect.type) {
        case 'persist':
          this.persistRecord(effect.failover);
          this.saveIfChanged();
          break;
        case 'send':
          await this.send(effect, collected);
          break;
        case 'notify':
          this.host.history.addEvent(this.host.now(), 'alert', `${effect.severity}: ${effect.message}`);
          console.log(`store ${this.host.storeId()}: ${effect.severity}: ${effect.message}`);
          break;
        case 'event':
          this.host.history.addEvent(this.host.now(), 'failover', effect.message);
          break;
        case 'reply':
          break;
      }
    }
  }

  private async send(effect: Extract<FailoverEffect, { type: 'send' }>, collected: FailoverEffect[]): Promise<void> {
    const url = this.host.nodeUrl(effect.node);
    const store = this.host.storeId();
    const result =
      url && store
        ? await sendAction(
            { ...effect, nodeUrl: url, store, now: this.host.now() },
            this.host.webhookSecret,
            this.host.actionTimeoutMs(),
          )
        : { outcome: 'refused' as const, detail: `node ${effect.node} is no longer in the config` };
    this.host.history.addEvent(
      this.host.now(),
      'failover',
      `${effect.action} to ${effect.node} at epoch ${effect.epoch} (attempt ${effect.attempt}): ${result.outcome}, ${result.detail}`,
    );
    const answer: FailoverEvent = {
      type: 'action_answered',
      now: this.host.now(),
      failoverId: effect.failoverId,
      action: effect.action,
      node: effect.node,
      outcome: result.outcome,
      detail: result.detail,
    };
    await this.apply(this.step(answer), collected);
  }

  private step(event: FailoverEvent): Transition {
    return transition(this.state, event, this.host.gate(this.state, event.now));
  }

  private persistRecord(failover: Failover): void {
    const before = firstRow(this.host.sql, JsonRow, 'SELECT json FROM failover_records WHERE id = ?', failover.id);
    const wasTerminal = before ? ended(jsonColumn(Failover, before.json, 'failover record').state) : false;
    this.w(
      'INSERT INTO failover_records (id, decided_at, json) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, decided_at = excluded.decided_at',
      failover.id,
      Date.parse(failover.decidedAt),
      JSON.stringify(failover),
    );
    if (wasTerminal || !ended(failover.state)) return;
    this.outcomes[failover.state] += 1;
    // Aborted means never carried out (a confirmation that did not come): not one of the day's failovers.
    if (failover.state !== 'aborted') this.host.history.countFailover(this.host.now());
  }

  private saveIfChanged(): void {
    const json = JSON.stringify(this.state);
    if (json === this.savedJson) return;
    this.rowsWritten += writeMeta(this.host.sql, 'machine', json);
    this.savedJson = json;
  }

  private w(query: string, ...args: SqlValue[]): void {
    this.rowsWritten += write(this.host.sql, query, ...args);
  }
}
