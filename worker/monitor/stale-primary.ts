/**
 * Fences the old primaries `staleFenceTargets` (shared/monitor/stale-fence.ts) names, at the
 * store's epoch, with the idempotency key a failover's fence would carry, so an agent that did get
 * the first fence just answers again. Returns a line for the event log per fence sent.
 */
import type { Classification } from '#shared/classify.ts';
import { staleFenceTargets } from '#shared/monitor/stale-fence.ts';
import { idempotencyKeyFor } from '#shared/schemas/action.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import { sendAction } from './send-action.ts';

export interface StaleFenceInput {
  store: StoreConfig;
  classification: Classification;
  /** Node id → when it was last fenced; updated in place for every fence sent. */
  fencedAt: Record<string, number>;
  failoverId: string;
  now: number;
  webhookSecret: string;
  timeoutMs: number;
}

export async function fenceStalePrimaries(input: StaleFenceInput): Promise<string[]> {
  const { store, classification: c, now } = input;
  const lines: string[] = [];
  for (const id of staleFenceTargets(c, input.fencedAt, now)) {
    const url = store.nodes.find((x) => x.id === id)?.url;
    if (!url) continue;
    input.fencedAt[id] = now;
    const claimed = c.nodes.find((n) => n.id === id)?.epoch ?? 0;
    const result = await sendAction(
      {
        nodeUrl: url,
        store: store.id,
        node: id,
        action: 'fence',
        epoch: c.epoch,
        failoverId: input.failoverId,
        idempotencyKey: idempotencyKeyFor({ store: store.id, epoch: c.epoch, action: 'fence', node: id }),
        reason: `${id} still claims primary at epoch ${claimed}; the store is at epoch ${c.epoch}`,
        requestedBy: 'auto',
        now,
      },
      input.webhookSecret,
      input.timeoutMs,
    );
    lines.push(`fence to stale primary ${id} at epoch ${c.epoch}: ${result.outcome}, ${result.detail}`);
  }
  return lines;
}
