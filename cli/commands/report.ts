/**
 * `report --from --to [--region] [--format csv|json] [--out FILE]`: the availability report
 * (`GET /api/v1/reports/availability`, viewer) written as the server renders it.
 */
import { writeFileSync } from 'node:fs';
import { ApiFailure } from '../api-client.ts';
import { choiceOption, dateOption, positionals } from '../args.ts';
import { CliError, EXIT, usageError } from '../cli-error.ts';
import type { Command } from '../context.ts';

export const report: Command = {
  name: 'report',
  options: ['from', 'to', 'region', 'format', 'out'],
  async run(ctx, args) {
    positionals(args, 'report', []);
    const from = dateOption(ctx.values, 'from');
    const to = dateOption(ctx.values, 'to');
    if (!from) throw usageError('error.missingArgument', { command: 'report', what: '--from' });
    if (!to) throw usageError('error.missingArgument', { command: 'report', what: '--to' });
    const format = choiceOption(ctx.values, 'format', ['csv', 'json'] as const) ?? 'csv';
    const query = new URLSearchParams({ from, to, format });
    if (ctx.values.region !== undefined) query.set('region', ctx.values.region);
    let body: string;
    try {
      body = await ctx.api().text(`/api/v1/reports/availability?${query}`);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 404 && e.apiCode === 'not_found')
        throw new CliError(EXIT.failed, 'error.noReportRoute');
      throw e;
    }
    const out = ctx.values.out;
    if (out === undefined) {
      ctx.io.out(body.endsWith('\n') ? body : `${body}\n`);
      return EXIT.ok;
    }
    try {
      writeFileSync(out, body);
    } catch (e) {
      throw new CliError(EXIT.failed, 'error.fileUnreadable', {
        file: out,
        cause: e instanceof Error ? e.message : String(e),
      });
    }
    ctx.say('report.written', { file: out, bytes: Buffer.byteLength(body) });
    return EXIT.ok;
  },
};
