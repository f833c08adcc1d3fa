/** `config validate|diff|apply <file>`: check offline, compare with the server, apply after a yes. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { FleetConfig } from '#shared/schemas/config.ts';
import { ApiFailure } from '../api-client.ts';
import { positionals } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { type ConfigChanges, configChanges, hasChanges } from '../config-changes.ts';
import { checkConfigText } from '../config-file.ts';
import type { Command, Ctx } from '../context.ts';

/** The file's config, or the problems printed and null. */
function loadConfig(ctx: Ctx, file: string): FleetConfig | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(EXIT.failed, 'error.fileUnreadable', {
      file,
      cause: e instanceof Error ? e.message : String(e),
    });
  }
  const check = checkConfigText(text, file);
  if (check.ok) return check.config;
  if (ctx.values.json) {
    ctx.io.out(`${JSON.stringify({ valid: false, problems: check.problems }, null, 2)}\n`);
    return null;
  }
  ctx.io.err(`${ctx.t('config.invalid', { file, count: check.problems.length })}\n`);
  for (const p of check.problems)
    ctx.io.err(`${ctx.t(check.syntax ? 'config.syntax' : 'config.problem', { file, ...p })}\n`);
  return null;
}

async function serverConfig(ctx: Ctx): Promise<FleetConfig | null> {
  try {
    return await ctx.api().json(FleetConfig, '/api/v1/config', { role: 'admin' });
  } catch (e) {
    if (e instanceof ApiFailure && e.status === 404 && e.apiCode === 'no_config') return null;
    throw e;
  }
}

function printChanges(ctx: Ctx, changes: ConfigChanges, first: boolean): void {
  if (ctx.values.json) {
    ctx.io.out(`${JSON.stringify(changes, null, 2)}\n`);
    return;
  }
  if (first) ctx.say('config.firstConfig');
  if (!hasChanges(changes)) {
    ctx.say('config.noChange');
    return;
  }
  for (const store of changes.added) ctx.say('config.added', { store });
  for (const { id, fields } of changes.changed) ctx.say('config.changed', { store: id, fields: fields.join(', ') });
  for (const store of changes.removed) ctx.say('config.removed', { store });
  if (changes.fleet.length > 0) ctx.say('config.fleetChanged', { fields: changes.fleet.join(', ') });
  ctx.say('config.summary', {
    added: changes.added.length,
    changed: changes.changed.length,
    removed: changes.removed.length,
  });
}

export const configValidate: Command = {
  name: 'config validate',
  options: ['json'],
  async run(ctx, args) {
    const [file = ''] = positionals(args, 'config validate', ['<file>']);
    const config = loadConfig(ctx, file);
    if (!config) return EXIT.failed;
    if (ctx.values.json) ctx.io.out(`${JSON.stringify({ valid: true, stores: config.stores.length })}\n`);
    else ctx.say('config.valid', { file, stores: config.stores.length });
    return EXIT.ok;
  },
};

export const configDiff: Command = {
  name: 'config diff',
  options: ['json'],
  async run(ctx, args) {
    const [file = ''] = positionals(args, 'config diff', ['<file>']);
    const config = loadConfig(ctx, file);
    if (!config) return EXIT.failed;
    const before = await serverConfig(ctx);
    printChanges(ctx, configChanges(before, config), before === null);
    return EXIT.ok;
  },
};

const PutAnswer = z.object({
  ok: z.literal(true),
  added: z.array(z.string()),
  changed: z.array(z.string()),
  removed: z.array(z.string()),
});

export const configApply: Command = {
  name: 'config apply',
  options: ['yes', 'json'],
  async run(ctx, args) {
    const [file = ''] = positionals(args, 'config apply', ['<file>']);
    const config = loadConfig(ctx, file);
    if (!config) return EXIT.failed;
    if (!ctx.values.yes && !ctx.io.stdinIsTTY) throw new CliError(EXIT.usage, 'error.needsTty');
    const before = await serverConfig(ctx);
    const changes = configChanges(before, config);
    printChanges(ctx, changes, before === null);
    if (before !== null && !hasChanges(changes)) return EXIT.ok;
    if (!ctx.values.yes) {
      const answer = await ctx.io.ask(ctx.t('config.ask', { url: ctx.api().url }));
      if (!/^\s*(y|yes|是)\s*$/i.test(answer)) {
        ctx.say('config.aborted');
        return EXIT.failed;
      }
    }
    const done = await ctx.api().json(PutAnswer, '/api/v1/config', { method: 'PUT', body: config, role: 'admin' });
    if (ctx.values.json) ctx.io.out(`${JSON.stringify(done)}\n`);
    else
      ctx.say('config.applied', {
        added: done.added.length,
        changed: done.changed.length,
        removed: done.removed.length,
      });
    return EXIT.ok;
  },
};
