/**
 * Applies an operator's epoch adoption (the decision is `decideAdoption`, shared/monitor/
 * epoch-adoption.ts): the store's remembered epoch and the failover machine's follow, and the event
 * log says who did it and why.
 */
import { z } from 'zod';
import { decideAdoption } from '#shared/monitor/epoch-adoption.ts';
import { storeEpoch } from '#shared/monitor/known-primary.ts';
import type { StoreWatch } from './store-watch.ts';

export type AdoptAnswer = { ok: true; epoch: number } | { ok: false; reasons: string[] };

const AdoptInput = z.object({
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  by: z.string().min(1).max(200),
  reason: z.string().max(1000),
});

export function adoption(w: StoreWatch, raw: unknown): AdoptAnswer {
  const input = AdoptInput.safeParse(raw);
  if (!input.success) return { ok: false, reasons: input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const { epoch, by, reason } = input.data;
  const c = w.warm.classification;
  if (!w.cfg) return { ok: false, reasons: ['the store is not monitored'] };
  if (!c)
    return {
      ok: false,
      reasons: ['the monitor has not completed a probe round since it started; try again in a few seconds'],
    };
  const machine = w.failover.state;
  const current = storeEpoch(w.observed.epoch, machine.epoch) ?? 0;
  const decision = decideAdoption({
    storeEpoch: current,
    reported: c.nodes.map((n) => ({ node: n.id, epoch: n.report ? n.epoch : null })),
    regression: c.epochRegression !== null,
    failoverInProgress:
      machine.phase === 'idle' ? null : `failover ${machine.current.id} is ${machine.phase.replace('_', ' ')}`,
    requested: epoch,
  });
  if (!decision.ok) return decision;
  w.setObserved({ ...w.observed, epoch });
  w.failover.adoptEpoch(epoch);
  w.history.addEvent(w.host.clock(), 'failover', `epoch ${epoch} adopted by ${by} (was ${current}): ${reason}`);
  return decision;
}
