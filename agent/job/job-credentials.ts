/**
 * What the job wrapper authenticates with, from its environment: the job's token, or the job's own
 * key. A master secret in its environment is refused, naming the command that prints the key.
 */
import { JOB_KEY_ENV, keysCommand, MASTER_SECRET_NAMES, parseKeyList } from '../given-keys.ts';
import type { Credentials } from './heartbeat-client.ts';

export type CredentialsResult = { ok: true; credentials: Credentials } | { ok: false; error: string };

export function jobCredentials(env: Record<string, string | undefined>, store: string, job: string): CredentialsResult {
  const fix = keysCommand(store, `job:${job}`);
  const master = MASTER_SECRET_NAMES.find((name) => (env[name] ?? '') !== '');
  if (master !== undefined) {
    return {
      ok: false,
      error: `${master} is set: a job host must never hold a master secret; unset it and set ${JOB_KEY_ENV} (${fix} prints it)`,
    };
  }
  const token = env.MIRRORWATCH_JOB_TOKEN;
  if (token) return { ok: true, credentials: { kind: 'token', token } };
  const text = env[JOB_KEY_ENV];
  if (!text) return { ok: false, error: `set MIRRORWATCH_JOB_TOKEN or ${JOB_KEY_ENV} (${fix} prints it)` };
  const keys = parseKeyList(text, JOB_KEY_ENV, fix);
  if (!keys.ok) return { ok: false, error: keys.error };
  const [key] = keys.keys;
  if (key === undefined) return { ok: false, error: `${JOB_KEY_ENV} is empty; ${fix} prints it` };
  return { ok: true, credentials: { kind: 'signed', key } };
}
