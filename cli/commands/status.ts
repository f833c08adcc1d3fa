/** `status [--watch] [--json]`: every store in one table, redrawn until Ctrl-C with --watch. */
import { z } from 'zod';
import { StoreStatus } from '#shared/schemas/status.ts';
import { intOption, positionals } from '../args.ts';
import { EXIT } from '../cli-error.ts';
import type { Command, Ctx } from '../context.ts';
import { statusTable } from '../status-table.ts';

const StoreList = z.object({ stores: z.array(StoreStatus) });
const CLEAR = '\u001b[H\u001b[2J';

async function render(ctx: Ctx, watching: number | null): Promise<void> {
  const { stores } = await ctx.api().json(StoreList, '/api/v1/stores');
  if (ctx.values.json) {
    ctx.io.out(`${JSON.stringify(watching === null ? { stores } : { at: new Date().toISOString(), stores })}\n`);
    return;
  }
  if (watching !== null && ctx.io.stdoutIsTTY) ctx.io.out(CLEAR);
  if (watching !== null) ctx.say('status.watching', { seconds: watching, at: new Date().toISOString() });
  if (stores.length === 0) ctx.say('status.none');
  else ctx.io.out(`${statusTable(stores, ctx.t, ctx.colour)}\n`);
}

export const status: Command = {
  name: 'status',
  options: ['json', 'watch', 'interval'],
  async run(ctx, args) {
    positionals(args, 'status', []);
    const seconds = intOption(ctx.values, 'interval', 1, 3600) ?? 2;
    if (!ctx.values.watch) {
      await render(ctx, null);
      return EXIT.ok;
    }
    do await render(ctx, seconds);
    while (await ctx.io.wait(seconds * 1000));
    return EXIT.ok;
  },
};
