/**
 * `keys <store> <principal> [--json]`: scripts/keys/keys-command.ts (the masters from the environment
 * or ./.dev.vars), under the CLI's name. Offline: it derives keys, it asks no server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDevVars } from '#scripts/demo/dev-vars.ts';
import { runKeysCommand } from '#scripts/keys/keys-command.ts';
import type { Command } from '../context.ts';

const rename = (text: string) =>
  text.replaceAll('npm run keys --', 'mirrorwatch keys').replaceAll('npm run keys', 'mirrorwatch keys');

export const keys: Command = {
  name: 'keys',
  options: ['json'],
  async run(ctx, args) {
    const devVars = existsSync('.dev.vars') ? parseDevVars(readFileSync('.dev.vars', 'utf8')) : null;
    const outcome = await runKeysCommand([...args, ...(ctx.values.json ? ['--json'] : [])], ctx.io.env, devVars);
    ctx.io.out(outcome.stdout);
    ctx.io.err(rename(outcome.stderr));
    return outcome.code;
  },
};
