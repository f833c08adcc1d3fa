/**
 * `npm run keys -- <store> <principal> [--json]`: the keys one principal of one store needs, derived
 * from the worker's master secrets (contract v2, section 4), so a store host is handed its own keys
 * and never a master. Pure apart from its inputs, so the test drives it without a process.
 *
 *   node      MIRRORWATCH_ACTION_KEY (verifies actions), MIRRORWATCH_PUSH_KEY (signs pushed reports)
 *   arbiter   MIRRORWATCH_PUSH_KEY
 *   hook      MIRRORWATCH_HOOK_KEY (signs POST /hooks/v1/failover for this store)
 *   job:<id>  MIRRORWATCH_JOB_KEY (signs that job's heartbeats)
 *
 * While a master is rotated each value lists one key per master value, in the master's order.
 */
import { ACTION_KEY_ENV, HOOK_KEY_ENV, JOB_KEY_ENV, PUSH_KEY_ENV } from '#agent/given-keys.ts';
import { ARBITER_PRINCIPAL, deriveKeys, HOOK_PRINCIPAL } from '#shared/keys.ts';
import { ID_PATTERN } from '#shared/schemas/common.ts';

export const KEYS_USAGE = `usage: npm run keys -- <store> <node id | arbiter | hook | job:<job id>> [--json]
  reads WEBHOOK_SECRET and HOOK_SECRET from the environment, else from .dev.vars;
  prints the keys that principal needs, one NAME=value line each (--json: one JSON object)`;

export interface KeysOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

type Master = 'WEBHOOK_SECRET' | 'HOOK_SECRET';

/** Which keys a principal needs, each from which master. */
function needs(principal: string): Array<{ label: string; master: Master }> | string {
  if (principal === ARBITER_PRINCIPAL) return [{ label: PUSH_KEY_ENV, master: 'HOOK_SECRET' }];
  if (principal === HOOK_PRINCIPAL) return [{ label: HOOK_KEY_ENV, master: 'HOOK_SECRET' }];
  if (principal.startsWith('job:')) {
    const job = principal.slice('job:'.length);
    if (!ID_PATTERN.test(job)) return `job id "${job}" must match ${ID_PATTERN.source}`;
    return [{ label: JOB_KEY_ENV, master: 'HOOK_SECRET' }];
  }
  if (!ID_PATTERN.test(principal)) {
    return `"${principal}" is neither a node id (${ID_PATTERN.source}) nor arbiter, hook or job:<job id>`;
  }
  return [
    { label: ACTION_KEY_ENV, master: 'WEBHOOK_SECRET' },
    { label: PUSH_KEY_ENV, master: 'HOOK_SECRET' },
  ];
}

function usageError(message: string): KeysOutcome {
  return { code: 2, stdout: '', stderr: `npm run keys: ${message}\n${KEYS_USAGE}\n` };
}

/**
 * `env` wins over `devVars` (the parsed `.dev.vars`, or null when there is none) for each master.
 */
export async function runKeysCommand(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  devVars: Record<string, string> | null,
): Promise<KeysOutcome> {
  const json = argv.includes('--json');
  if (argv.includes('--help') || argv.includes('-h')) return { code: 0, stdout: `${KEYS_USAGE}\n`, stderr: '' };
  const unknown = argv.find((a) => a.startsWith('-') && a !== '--json');
  if (unknown !== undefined) return usageError(`unknown option ${unknown}`);
  const args = argv.filter((a) => a !== '--json');
  if (args.length !== 2) return usageError(`expected a store and a principal, got ${args.length} argument(s)`);
  const [store = '', principal = ''] = args;
  if (!ID_PATTERN.test(store)) return usageError(`store id "${store}" must match ${ID_PATTERN.source}`);
  const wanted = needs(principal);
  if (typeof wanted === 'string') return usageError(wanted);

  const keys: Record<string, string> = {};
  for (const { label, master } of wanted) {
    const value = env[master] ?? devVars?.[master];
    const derived = await deriveKeys(value, store, principal);
    if (derived.length === 0) {
      const where = devVars === null ? 'the environment (there is no .dev.vars)' : 'the environment or .dev.vars';
      return { code: 1, stdout: '', stderr: `npm run keys: ${master} is not set in ${where}\n` };
    }
    keys[label] = derived.join(',');
  }
  const stdout = json
    ? `${JSON.stringify(keys)}\n`
    : Object.entries(keys)
        .map(([label, value]) => `${label}=${value}\n`)
        .join('');
  return { code: 0, stdout, stderr: '' };
}
