/**
 * Request signing for worker → agent actions and inbound hooks (docs/PROTOCOL.md section 4):
 * `X-Mirrorwatch-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * Runtime-neutral (WebCrypto only), so the worker, the agent and tests share one implementation.
 * Replay protection needs memory and lives in callers; `replayKey` / `replayForgetAfterMs` help them.
 */
import { timingSafeEqual } from './constant-time.ts';

export const TIMESTAMP_HEADER = 'X-Mirrorwatch-Timestamp';
export const SIGNATURE_HEADER = 'X-Mirrorwatch-Signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

const SCHEME = 'v1=';
const HEX_SIGNATURE = /^[0-9a-f]{64}$/;
const TIMESTAMP = /^\d{1,15}$/;

function toHex(buffer: ArrayBuffer): string {
  let out = '';
  for (const byte of new Uint8Array(buffer)) out += byte.toString(16).padStart(2, '0');
  return out;
}

const encoder = new TextEncoder();

/** An imported HMAC key (named from WebCrypto itself: not every runtime's types declare `CryptoKey`). */
export type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** A secret imported once for HMAC-SHA256 signing, for a caller that signs with it again and again. */
export function hmacKey(secret: string): Promise<HmacKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export async function hmacHex(secret: string | HmacKey, message: string): Promise<string> {
  const key = typeof secret === 'string' ? await hmacKey(secret) : secret;
  return toHex(await crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}

/** `v1=<hex>` for a body sent at `timestamp` (unix seconds); `secret` may be a key from `hmacKey`. */
export async function signPayload(secret: string | HmacKey, timestamp: number, rawBody: string): Promise<string> {
  return `${SCHEME}${await hmacHex(secret, `${timestamp}.${rawBody}`)}`;
}

export interface SignedHeaders {
  'X-Mirrorwatch-Timestamp': string;
  'X-Mirrorwatch-Signature': string;
}

/** The two signature headers for a body about to be sent at `nowMs`. */
export async function signedHeaders(secret: string, rawBody: string, nowMs: number): Promise<SignedHeaders> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: await signPayload(secret, timestamp, rawBody),
  };
}

export type SignatureFailure =
  | 'missing_timestamp'
  | 'missing_signature'
  | 'malformed_timestamp'
  | 'malformed_signature'
  | 'stale'
  | 'future'
  | 'mismatch';

export type VerifyResult =
  | { ok: true; signature: string; timestamp: number }
  | { ok: false; code: SignatureFailure; reason: string };

export interface VerifyInput {
  /** One secret, or several while a secret is being rotated. */
  secret: string | readonly string[];
  timestampHeader: string | null | undefined;
  signatureHeader: string | null | undefined;
  rawBody: string;
  nowMs: number;
  toleranceSeconds?: number;
}

function fail(code: SignatureFailure, reason: string): VerifyResult {
  return { ok: false, code, reason };
}

/**
 * Checks both headers, the time window (either direction) and the HMAC. The signature header may
 * list several `v1=` values separated by commas; one match is enough. Every candidate is compared
 * against every secret in constant time, with no early exit.
 */
export async function verifySignature(input: VerifyInput): Promise<VerifyResult> {
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const tsText = input.timestampHeader?.trim();
  const sigText = input.signatureHeader?.trim();
  if (!tsText) return fail('missing_timestamp', `missing ${TIMESTAMP_HEADER} header`);
  if (!sigText) return fail('missing_signature', `missing ${SIGNATURE_HEADER} header`);
  if (!TIMESTAMP.test(tsText)) {
    return fail('malformed_timestamp', `${TIMESTAMP_HEADER} must be whole unix seconds, got "${tsText.slice(0, 32)}"`);
  }
  const candidates = sigText.split(',').map((part) => part.trim());
  if (!candidates.every((c) => c.startsWith(SCHEME) && HEX_SIGNATURE.test(c.slice(SCHEME.length)))) {
    return fail('malformed_signature', `${SIGNATURE_HEADER} must be v1=<64 lowercase hex digits>`);
  }
  const timestamp = Number(tsText);
  const skew = Math.floor(input.nowMs / 1000) - timestamp;
  if (skew > tolerance)
    return fail('stale', `signature timestamp is ${skew} s old, more than the ${tolerance} s allowed`);
  if (-skew > tolerance) {
    return fail('future', `signature timestamp is ${-skew} s in the future, more than the ${tolerance} s allowed`);
  }
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  let matched: string | null = null;
  for (const secret of secrets) {
    const expected = await signPayload(secret, timestamp, input.rawBody);
    for (const candidate of candidates) {
      if (timingSafeEqual(candidate, expected) && matched === null) matched = candidate;
    }
  }
  if (matched === null) return fail('mismatch', 'signature does not match the body and timestamp');
  return { ok: true, signature: matched, timestamp };
}

/** What a replay cache stores for a verified request: one entry per (timestamp, signature). */
export function replayKey(verified: { signature: string; timestamp: number }): string {
  return `${verified.timestamp}:${verified.signature}`;
}

/** After this instant a replay entry can be dropped: the signature would be refused as stale anyway. */
export function replayForgetAfterMs(timestamp: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): number {
  return (timestamp + toleranceSeconds + 1) * 1000;
}
