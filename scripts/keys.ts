/**
 * CLI: `npm run keys -- <store> <node id | arbiter | hook | job:<job id>> [--json]`. Prints the keys
 * that principal needs (see scripts/keys/keys-command.ts); the masters come from the environment or
 * `.dev.vars` in the current directory. Wiring only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseDevVars } from './demo/dev-vars.ts';
import { runKeysCommand } from './keys/keys-command.ts';

const DEV_VARS = '.dev.vars';
const devVars = existsSync(DEV_VARS) ? parseDevVars(readFileSync(DEV_VARS, 'utf8')) : null;
const outcome = await runKeysCommand(process.argv.slice(2), process.env, devVars);
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;
