/**
 * The keys a store host is given (contract v2, section 4), never the master secrets they come from:
 * the names they travel under (environment variables, the labels `npm run keys` prints) and the one
 * check that tells a key from a master secret put where a key belongs. A key is exactly 64
 * lowercase hex digits (an HMAC-SHA256 in hex); several are comma-separated while a master is
 * rotated: any verifies, the first signs.
 */

/** Verifies actions (and leases): `key(WEBHOOK_SECRET, store, node)`. */
export const ACTION_KEY_ENV = 'MIRRORWATCH_ACTION_KEY';
/** Signs pushed reports: `key(HOOK_SECRET, store, node)`, or `key(HOOK_SECRET, store, "arbiter")`. */
export const PUSH_KEY_ENV = 'MIRRORWATCH_PUSH_KEY';
/** Signs a job's heartbeats: `key(HOOK_SECRET, store, "job:<job id>")`. */
export const JOB_KEY_ENV = 'MIRRORWATCH_JOB_KEY';
/** Signs the store's own failover hook: `key(HOOK_SECRET, store, "hook")`. */
export const HOOK_KEY_ENV = 'MIRRORWATCH_HOOK_KEY';

/** The master secrets' names: an agent that finds one of them set refuses to start. */
export const MASTER_SECRET_NAMES = ['WEBHOOK_SECRET', 'HOOK_SECRET'] as const;

const KEY = /^[0-9a-f]{64}$/;

export type KeyList = { ok: true; keys: string[] } | { ok: false; error: string };

/**
 * The keys in `text` (comma-separated, blanks dropped), or why they are not keys. `what` names where
 * they came from; `fix` is the command that prints the right ones. A value is never echoed back.
 */
export function parseKeyList(text: string, what: string, fix: string): KeyList {
  const keys = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (keys.length === 0) return { ok: false, error: `${what} is empty; ${fix} prints it` };
  const bad = keys.findIndex((k) => !KEY.test(k));
  if (bad >= 0) {
    const which = keys.length > 1 ? ` (value ${bad + 1} of ${keys.length})` : '';
    return {
      ok: false,
      error:
        `${what}${which} is not a key (64 lowercase hex digits): it looks like a master secret or a typo. ` +
        `A store host is given only its own keys: ${fix} prints them`,
    };
  }
  return { ok: true, keys };
}

/** The command that prints the keys of `principal` (a node id, `arbiter`, `job:<id>`) of `store`. */
export function keysCommand(store: string, principal: string): string {
  return `npm run keys -- ${store} ${principal}`;
}
