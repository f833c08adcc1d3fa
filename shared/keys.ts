/**
 * Per-principal signing keys (contract v2, section 4). The worker holds two master secrets and
 * never hands either out; every node, arbiter, store hook and job gets a key of its own:
 *
 *   key(master, store, principal) = lowercase hex HMAC-SHA256(master, "mirrorwatch-key/v2\n" + store + "\n" + principal)
 *
 * used as the UTF-8 bytes of that hex string. A store host therefore holds only keys that speak for
 * itself: a key of one store or node cannot sign for another. While a master is rotated it holds
 * several comma-separated values: the first signs, any verifies (so each yields one candidate key).
 */
import { hmacHex } from './signature.ts';

export const PRINCIPAL_HEADER = 'X-Mirrorwatch-Principal';
const KEY_CONTEXT = 'mirrorwatch-key/v2';

/** `arbiter`, `hook`, `job:<job id>`, or a node id. */
export type Principal = string;

export const ARBITER_PRINCIPAL = 'arbiter';
export const HOOK_PRINCIPAL = 'hook';
export const jobPrincipal = (jobId: string): Principal => `job:${jobId}`;

/** The key of one principal of one store, derived from one master secret value. */
export function deriveKey(master: string, store: string, principal: Principal): Promise<string> {
  return hmacHex(master, `${KEY_CONTEXT}\n${store}\n${principal}`);
}

/** The values of a master secret as configured: comma-separated while rotated, blanks dropped. */
export function masterValues(master: string | undefined | null): string[] {
  return (master ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Every key a principal may sign with while `master` is rotated; the first is the one that signs. */
export function deriveKeys(master: string | undefined | null, store: string, principal: Principal): Promise<string[]> {
  return Promise.all(masterValues(master).map((m) => deriveKey(m, store, principal)));
}

/** The key that signs now (from the first master value), or null when the master is unset. */
export async function signingKey(
  master: string | undefined | null,
  store: string,
  principal: Principal,
): Promise<string | null> {
  const [first] = masterValues(master);
  return first === undefined ? null : deriveKey(first, store, principal);
}
