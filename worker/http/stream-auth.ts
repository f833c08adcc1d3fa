/**
 * The stream's sockets outlive the request that opened them, so the Fleet re-checks their token
 * (by hash: the token itself is never stored) and closes those whose token was removed.
 */
import { hmacHex } from '#shared/signature.ts';
import { tokenEntries } from './auth.ts';

/** Headers the stream route adds to the upgrade it hands the Fleet (never read from a client). */
export const STREAM_HEADERS = { tokenHash: 'x-mirrorwatch-token-hash', protocol: 'x-mirrorwatch-protocol' } as const;

/** A hash of the token in a context of its own (not the bare SHA-256 anything else might store). */
export function tokenHash(token: string): Promise<string> {
  return hmacHex('mirrorwatch-stream-token/v1', token);
}

/** Hashes of every token that may read the stream now (every role may). */
export async function validTokenHashes(env: Pick<Env, 'ADMIN_TOKEN' | 'OPERATOR_TOKEN' | 'VIEWER_TOKEN'>) {
  const tokens = [env.ADMIN_TOKEN, env.OPERATOR_TOKEN, env.VIEWER_TOKEN].flatMap((v) =>
    tokenEntries(v).flatMap((e) => (e.named ? [e.value, e.named.token] : [e.value])),
  );
  return new Set(await Promise.all(tokens.map(tokenHash)));
}
