/**
 * What an operator does to one store: `failover`, `confirm`, `reinstate`. The worker re-checks every
 * condition; a refusal comes back as a 409 naming each unmet one, printed as exit 1.
 */
import { z } from 'zod';
import { Failover, StoreStatus } from '#shared/schemas/status.ts';
import { ApiFailure } from '../api-client.ts';
import { positionals, requiredString } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import type { Command, Ctx } from '../context.ts';
import { storeId } from './store-id.ts';

const FailoverAnswer = z.object({ failover: Failover });

async function requestFailover(ctx: Ctx, store: string, body: Record<string, unknown>) {
  const path = `/api/v1/stores/${store}/failover`;
  return (await ctx.api().json(FailoverAnswer, path, { method: 'POST', body, role: 'operator' })).failover;
}

function printFailover(
  ctx: Ctx,
  store: string,
  f: z.infer<typeof Failover>,
  key: 'failover.accepted' | 'confirm.accepted',
) {
  if (ctx.values.json) ctx.io.out(`${JSON.stringify({ failover: f })}\n`);
  else ctx.say(key, { id: f.id, store, epoch: f.epoch, from: f.from ?? '-', to: f.to, state: f.state });
}

export const failover: Command = {
  name: 'failover',
  options: ['reason', 'target', 'allow-data-loss', 'json'],
  async run(ctx, args) {
    const [raw = ''] = positionals(args, 'failover', ['<store>']);
    const store = storeId(raw);
    const reason = requiredString(ctx.values, 'reason', 'failover');
    const body = {
      reason,
      ...(ctx.values.target !== undefined ? { target: ctx.values.target } : {}),
      ...(ctx.values['allow-data-loss'] ? { allowDataLoss: true } : {}),
    };
    printFailover(ctx, store, await requestFailover(ctx, store, body), 'failover.accepted');
    return EXIT.ok;
  },
};

/** A confirmation is a failover request while the store awaits one; anything else would start a new failover. */
export const confirm: Command = {
  name: 'confirm',
  options: ['reason', 'json'],
  async run(ctx, args) {
    const [raw = ''] = positionals(args, 'confirm', ['<store>']);
    const store = storeId(raw);
    const now = await ctx.api().json(StoreStatus, `/api/v1/stores/${store}`);
    if (now.status !== 'awaiting_confirm')
      throw new CliError(EXIT.failed, 'error.notAwaitingConfirm', { store, status: now.status });
    const reason = ctx.values.reason ?? 'confirmed from the mirrorwatch CLI';
    printFailover(ctx, store, await requestFailover(ctx, store, { reason }), 'confirm.accepted');
    return EXIT.ok;
  },
};

export const reinstate: Command = {
  name: 'reinstate',
  options: ['reason', 'json'],
  async run(ctx, args) {
    const [rawStore = '', rawNode = ''] = positionals(args, 'reinstate', ['<store>', '<node>']);
    const store = storeId(rawStore);
    const node = storeId(rawNode);
    const reason = requiredString(ctx.values, 'reason', 'reinstate');
    // The store is checked first, so a 404 from the POST can only mean an older worker without the route.
    await ctx.api().json(StoreStatus, `/api/v1/stores/${store}`);
    try {
      const answer = await ctx.api().json(z.record(z.string(), z.unknown()), `/api/v1/stores/${store}/reinstate`, {
        method: 'POST',
        body: { node, reason },
        role: 'operator',
      });
      if (ctx.values.json) ctx.io.out(`${JSON.stringify(answer)}\n`);
      else ctx.say('reinstate.accepted', { store, node });
      return EXIT.ok;
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 404 && e.apiCode === 'not_found')
        throw new CliError(EXIT.failed, 'error.noReinstateRoute');
      throw e;
    }
  },
};
