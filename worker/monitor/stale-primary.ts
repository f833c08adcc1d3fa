/**
 * An old primary that comes back still claiming `primary` at an older epoch (its agent missed the
 * failover's fence, or was down when it came) is fenced at the store's epoch, with the idempotency
 * key a failover's fence would carry, so an agent that did get the first fence just answers again.
 * At most once every STALE_FENCE_EVERY_MS per node; never during the startup grace.
 */
import type { Classification } from '#shared/classify.ts';
import { idempotencyKeyFor } from '#shared/schemas/action.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import { sendAction } from './send-action.ts';

export const STALE_FENCE_EVERY_MS = 30_000;

export class StalePrimaryFencer {
  private readonly sentAt = new Map<string, number>();

  constructor(
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  /** Returns a line for the event log per fence sent. */
  async fence(store: StoreConfig, c: Classification, failoverId: string, now: number): Promise<string[]> {
    if (c.status === 'unknown') return [];
    const lines: string[] = [];
    for (const n of c.nodes.filter((x) => x.role === 'primary' && x.needsReinstatement && x.reachable)) {
      const url = store.nodes.find((x) => x.id === n.id)?.url;
      if (!url || now - (this.sentAt.get(n.id) ?? Number.NEGATIVE_INFINITY) < STALE_FENCE_EVERY_MS) continue;
      this.sentAt.set(n.id, now);
      const result = await sendAction(
        {
          nodeUrl: url,
          store: store.id,
          node: n.id,
          action: 'fence',
          epoch: c.epoch,
          failoverId,
          idempotencyKey: idempotencyKeyFor({ store: store.id, epoch: c.epoch, action: 'fence', node: n.id }),
          reason: `${n.id} still claims primary at epoch ${n.epoch ?? 0}; the store is at epoch ${c.epoch}`,
          requestedBy: 'auto',
          now,
        },
        this.secret,
        this.timeoutMs,
      );
      lines.push(`fence to stale primary ${n.id} at epoch ${c.epoch}: ${result.outcome}, ${result.detail}`);
    }
    return lines;
  }

  reset(): void {
    this.sentAt.clear();
  }
}
