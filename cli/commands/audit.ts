/** `audit`: who did what, newest first (admin), a page at a time. */
import { AuditPage } from '#shared/schemas/audit.ts';
import { cursorOption, intOption, positionals } from '../args.ts';
import { EXIT } from '../cli-error.ts';
import type { Command } from '../context.ts';
import { formatTable, shortTime } from '../table.ts';

export const audit: Command = {
  name: 'audit',
  options: ['limit', 'cursor', 'json'],
  async run(ctx, args) {
    positionals(args, 'audit', []);
    const query = new URLSearchParams({ limit: String(intOption(ctx.values, 'limit', 1, 500) ?? 50) });
    const cursor = cursorOption(ctx.values);
    if (cursor) query.set('cursor', cursor);
    const page = await ctx.api().json(AuditPage, `/api/v1/audit?${query}`, { role: 'admin' });
    if (ctx.values.json) {
      ctx.io.out(`${JSON.stringify(page)}\n`);
      return EXIT.ok;
    }
    if (page.entries.length === 0) ctx.say('audit.none');
    else {
      const keys = ['audit.at', 'audit.who', 'audit.action', 'audit.store', 'audit.outcome', 'audit.what'] as const;
      const rows = page.entries.map((e) => [
        shortTime(e.at),
        e.who,
        e.action,
        e.store ?? '-',
        e.outcome,
        e.reasons?.length ? `${e.what} (${e.reasons.join('; ')})` : e.what,
      ]);
      ctx.io.out(
        `${formatTable(
          keys.map((k) => ctx.t(k)),
          rows,
        )}\n`,
      );
    }
    if (page.next !== null) ctx.say('list.more', { cursor: page.next });
    return EXIT.ok;
  },
};
