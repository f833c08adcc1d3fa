/** `maintenance start|end <store>`: open a window now (or later) for a length or until a time; end it. */
import { z } from 'zod';
import { WindowJson } from '#shared/schemas/duties-api.ts';
import { intOption, positionals, requiredString, timeOption } from '../args.ts';
import { EXIT, usageError } from '../cli-error.ts';
import type { Command } from '../context.ts';
import { storeId } from './store-id.ts';

export const maintenanceStart: Command = {
  name: 'maintenance start',
  options: ['reason', 'minutes', 'until', 'start', 'json'],
  async run(ctx, args) {
    const [raw = ''] = positionals(args, 'maintenance start', ['<store>']);
    const store = storeId(raw);
    const reason = requiredString(ctx.values, 'reason', 'maintenance start');
    const minutes = intOption(ctx.values, 'minutes', 1, 10080);
    const until = timeOption(ctx.values, 'until');
    const start = timeOption(ctx.values, 'start');
    if ((minutes === undefined) === (until === undefined))
      throw usageError('error.missingArgument', { command: 'maintenance start', what: '--minutes N | --until ISO' });
    const body = {
      reason,
      ...(minutes !== undefined ? { minutes } : {}),
      ...(until !== undefined ? { until: new Date(until).toISOString() } : {}),
      ...(start !== undefined ? { start: new Date(start).toISOString() } : {}),
    };
    const path = `/api/v1/stores/${store}/maintenance`;
    const answer = await ctx
      .api()
      .json(z.object({ window: WindowJson }), path, { method: 'POST', body, role: 'operator' });
    if (ctx.values.json) ctx.io.out(`${JSON.stringify(answer)}\n`);
    else ctx.say('maintenance.started', { id: answer.window.id, store, end: answer.window.end ?? '-' });
    return EXIT.ok;
  },
};

export const maintenanceEnd: Command = {
  name: 'maintenance end',
  options: ['id', 'json'],
  async run(ctx, args) {
    const [raw = ''] = positionals(args, 'maintenance end', ['<store>']);
    const store = storeId(raw);
    const query = ctx.values.id !== undefined ? `?id=${encodeURIComponent(ctx.values.id)}` : '';
    const path = `/api/v1/stores/${store}/maintenance${query}`;
    const answer = await ctx.api().json(z.object({ ended: z.boolean() }), path, { method: 'DELETE', role: 'operator' });
    if (ctx.values.json) ctx.io.out(`${JSON.stringify(answer)}\n`);
    else ctx.say('maintenance.ended', { store });
    return EXIT.ok;
  },
};
