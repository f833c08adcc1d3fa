/**
 * Carries out reinstatement for one StoreMonitor (contract section 8; the rules are
 * shared/monitor/reinstatement.ts): sends `reinstate` to a fenced former primary on an operator's
 * request or, with `failover.autoReinstate`, on its own; keeps each reinstatement it sent in the
 * `reinstatements` table until the node streams again, re-sending an unanswered one with the same
 * idempotency key; and marks the failover record that replaced the node with `reinstatedAt` and
 * `discardedBytes` once it reports a streaming standby at the store's epoch.
 */
import { z } from 'zod';
import type { Classification } from '#shared/classify.ts';
import type { FailoverPhase } from '#shared/failover/types.ts';
import { bytes } from '#shared/failover/words.ts';
import { iso } from '#shared/iso-time.ts';
import {
  autoReinstateTargets,
  markReinstated,
  nextAttemptAt,
  reinstated,
  reinstateRefusals,
} from '#shared/monitor/reinstatement.ts';
import { idempotencyKeyFor } from '#shared/schemas/action.ts';
import { PendingReinstatement } from '#shared/schemas/api.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import { allRows, jsonColumn, write } from '../storage/sql.ts';
import type { FailoverRunner } from './failover-runner.ts';
import type { MonitorHistory } from './history.ts';
import { type SendResult, sendAction } from './send-action.ts';

export type ReinstateAnswer =
  | { accepted: true; reinstatement: PendingReinstatement }
  | { accepted: false; unmet: string[] };

export interface ReinstateContext {
  config: MonitorConfig;
  classification: Classification | null;
  phase: FailoverPhase;
  runner: FailoverRunner;
  webhookSecret: string;
  timeoutMs: number;
  now: number;
}

const Row = z.object({ json: z.string() });

export class Reinstatements {
  rowsWritten = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly history: MonitorHistory,
  ) {}

  pending(): PendingReinstatement[] {
    return allRows(this.sql, Row, 'SELECT json FROM reinstatements ORDER BY node').map((r) =>
      jsonColumn(PendingReinstatement, r.json, 'reinstatement'),
    );
  }

  /** An operator's request (`POST /api/v1/stores/:id/reinstate`): refused with every unmet condition, or sent. */
  async request(ctx: ReinstateContext, input: { node: string; reason: string; by: string }): Promise<ReinstateAnswer> {
    const c = ctx.classification;
    if (!c) {
      return {
        accepted: false,
        unmet: ['the monitor has not completed a probe round since it started; try again in a few seconds'],
      };
    }
    const unmet = reinstateRefusals({ classification: c, config: ctx.config, phase: ctx.phase, node: input.node });
    if (unmet.length > 0) {
      this.history.addEvent(ctx.now, 'failover', `reinstate ${input.node} by ${input.by} refused: ${unmet.join('; ')}`);
      return { accepted: false, unmet };
    }
    const sent = await this.start(ctx, c, input.node, input.by, input.reason);
    if (sent.outcome === 'refused') return { accepted: false, unmet: [`${input.node} refused: ${sent.detail}`] };
    return { accepted: true, reinstatement: sent.record };
  }

  /**
   * After each round: reinstatements seen through are ended and their failover record marked; the
   * last failover's record is marked too when its old primary came back by other means (by hand);
   * unanswered ones are re-sent; with `autoReinstate`, fenced former primaries are sent one.
   */
  async afterRound(ctx: ReinstateContext): Promise<void> {
    const c = ctx.classification;
    if (!c) return;
    const pending = this.pending();
    for (const p of pending) {
      const node = c.nodes.find((n) => n.id === p.node);
      if (reinstated(node, c.epoch)) {
        this.drop(p.node);
        this.history.addEvent(
          ctx.now,
          'failover',
          `${p.node} is streaming from ${c.primary ?? '?'} at epoch ${c.epoch}`,
        );
        continue;
      }
      if (p.epoch < c.epoch) {
        this.drop(p.node);
        this.history.addEvent(
          ctx.now,
          'failover',
          `reinstate of ${p.node} at epoch ${p.epoch} superseded by epoch ${c.epoch}`,
        );
        continue;
      }
      if (ctx.now < nextAttemptAt(p)) continue;
      if (p.outcome === 'unreachable') await this.send(ctx, p);
      else if (p.outcome === 'refused') this.drop(p.node);
    }
    this.markRecord(ctx, c);
    const notBefore = Object.fromEntries(pending.map((p) => [p.node, nextAttemptAt(p)]));
    for (const node of autoReinstateTargets(c, ctx.config, ctx.phase, notBefore, ctx.now)) {
      await this.start(ctx, c, node, 'auto', 'failover.autoReinstate: a fenced former primary came back');
    }
  }

  reset(): void {
    this.rowsWritten = 0;
  }

  private markRecord(ctx: ReinstateContext, c: Classification): void {
    const state = ctx.runner.state;
    const marked = markReinstated(state.phase === 'idle' ? state.current : null, c, iso(ctx.now));
    if (!marked) return;
    ctx.runner.annotate(marked);
    const cost = marked.discardedBytes == null ? '' : `; ${bytes(marked.discardedBytes)} of its history discarded`;
    this.history.addEvent(
      ctx.now,
      'failover',
      `failover ${marked.id}: ${marked.from ?? '?'} reinstated as a standby of ${c.primary ?? '?'} at epoch ${c.epoch}${cost}: redundancy restored`,
    );
  }

  private async start(ctx: ReinstateContext, c: Classification, node: string, by: string, reason: string) {
    const last = ctx.runner.state.current;
    const record: PendingReinstatement = {
      node,
      epoch: c.epoch,
      primary: c.primary ?? '',
      failoverId: last && last.from === node ? last.id : `${ctx.config.store.id}-reinstate-${node}`,
      requestedBy: by,
      reason,
      requestedAt: ctx.now,
      sentAt: ctx.now,
      attempts: 0,
      outcome: 'unreachable',
      detail: 'not sent yet',
    };
    return this.send(ctx, record);
  }

  private async send(
    ctx: ReinstateContext,
    p: PendingReinstatement,
  ): Promise<{ outcome: SendResult['outcome']; detail: string; record: PendingReinstatement }> {
    const store = ctx.config.store;
    const url = store.nodes.find((n) => n.id === p.node)?.url;
    const result: SendResult = url
      ? await sendAction(
          {
            nodeUrl: url,
            store: store.id,
            node: p.node,
            action: 'reinstate',
            epoch: p.epoch,
            failoverId: p.failoverId,
            idempotencyKey: idempotencyKeyFor({ store: store.id, epoch: p.epoch, action: 'reinstate', node: p.node }),
            reason: p.reason,
            requestedBy: p.requestedBy,
            now: ctx.now,
            primary: p.primary,
          },
          ctx.webhookSecret,
          ctx.timeoutMs,
        )
      : { outcome: 'refused', detail: `node ${p.node} is no longer in the config` };
    const attempt = p.attempts + 1;
    this.history.addEvent(
      ctx.now,
      'failover',
      `reinstate to ${p.node} as a standby of ${p.primary} at epoch ${p.epoch} by ${p.requestedBy} (attempt ${attempt}): ${result.outcome}, ${result.detail}`,
    );
    const record: PendingReinstatement = {
      ...p,
      sentAt: ctx.now,
      attempts: attempt,
      outcome: result.outcome,
      detail: result.detail,
    };
    this.save(record);
    return { outcome: result.outcome, detail: result.detail, record };
  }

  private save(p: PendingReinstatement): void {
    this.rowsWritten += write(
      this.sql,
      'INSERT INTO reinstatements (node, json) VALUES (?, ?) ON CONFLICT(node) DO UPDATE SET json = excluded.json',
      p.node,
      JSON.stringify(p),
    );
  }

  private drop(node: string): void {
    this.rowsWritten += write(this.sql, 'DELETE FROM reinstatements WHERE node = ?', node);
  }
}
