/** `events <store>`: the store's event history, newest first, as a table or JSON. */
import { z } from 'zod';
import { EVENT_TYPES, StoreEvent } from '#shared/schemas/status.ts';
import { cursorOption, intOption, positionals, timeOption } from '../args.ts';
import { EXIT, usageError } from '../cli-error.ts';
import type { Command } from '../context.ts';
import { formatTable, shortTime } from '../table.ts';
import { storeId } from './store-id.ts';

const EventPage = z.object({ events: z.array(StoreEvent), next: z.string().nullable() });

export const events: Command = {
  name: 'events',
  options: ['limit', 'type', 'since', 'until', 'cursor', 'json'],
  async run(ctx, args) {
    const [raw = ''] = positionals(args, 'events', ['<store>']);
    const store = storeId(raw);
    const query = new URLSearchParams();
    query.set('limit', String(intOption(ctx.values, 'limit', 1, 1000) ?? 50));
    if (ctx.values.type !== undefined) {
      for (const type of ctx.values.type.split(','))
        if (!(EVENT_TYPES as readonly string[]).includes(type))
          throw usageError('error.badChoice', { option: 'type', choices: EVENT_TYPES.join(', '), value: type });
      query.set('type', ctx.values.type);
    }
    const since = timeOption(ctx.values, 'since');
    const until = timeOption(ctx.values, 'until');
    if (since) query.set('since', since);
    if (until) query.set('until', until);
    const cursor = cursorOption(ctx.values);
    if (cursor) query.set('cursor', cursor);
    const page = await ctx.api().json(EventPage, `/api/v1/stores/${store}/events?${query}`);
    if (ctx.values.json) {
      ctx.io.out(`${JSON.stringify(page)}\n`);
      return EXIT.ok;
    }
    if (page.events.length === 0) {
      ctx.say('events.none');
      return EXIT.ok;
    }
    const header = [ctx.t('events.at'), ctx.t('events.type'), ctx.t('status.status'), ctx.t('events.message')];
    const rows = page.events.map((e) => [
      shortTime(e.at),
      e.type,
      e.status ? ctx.t(`status.${e.status}`) : '-',
      e.message,
    ]);
    ctx.io.out(`${formatTable(header, rows)}\n`);
    if (page.next !== null) ctx.say('list.more', { cursor: page.next });
    return EXIT.ok;
  },
};
