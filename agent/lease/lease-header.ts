/**
 * Reading a lease the monitor grants (contract section 6): from a probe's headers
 * (`X-Mirrorwatch-Lease: epoch=<E>; seconds=<L>` with `X-Mirrorwatch-Timestamp` and
 * `X-Mirrorwatch-Signature`) or from a push's answer (`{ accepted: true, lease: { epoch, seconds,
 * timestamp, signature } }`). Both are signed over `"<timestamp>.lease.<S>.<P>.<E>.<L>"` with this
 * node's own action key, so a lease names its store and node in what is signed: one meant for
 * another store or node fails verification here, never reaches the self-fence decision.
 * Wall-clock use is the 300 s window only; when the lease counts from is the caller's business
 * (its monotonic clock, at receipt).
 */
import { z } from 'zod';
import { verifySignature } from '#shared/signature.ts';

export const LEASE_HEADER = 'X-Mirrorwatch-Lease';

export interface VerifiedLease {
  epoch: number;
  seconds: number;
  /** Unix seconds the monitor signed it at. */
  timestamp: number;
  /** The `v1=` value that matched. */
  signature: string;
}

export type LeaseReading =
  /** No lease offered (no header, or a push answer without `lease`). */
  { kind: 'none' } | { kind: 'lease'; lease: VerifiedLease } | { kind: 'rejected'; reason: string };

export interface LeaseVerifier {
  /** This node's action key(s) (any verifies, several while WEBHOOK_SECRET is rotated). */
  keys: readonly string[];
  store: string;
  node: string;
  /** Wall-clock ms, for the signature window only. */
  nowMs: number;
  toleranceSeconds?: number;
}

const FIELD = /^\s*(epoch|seconds)\s*=\s*(\d{1,15})\s*$/i;

/** `epoch=<E>; seconds=<L>` (either order, each once), or why not. */
export function parseLeaseHeader(text: string): { epoch: number; seconds: number } | { error: string } {
  const values: Record<string, number> = {};
  for (const part of text.split(';')) {
    const m = FIELD.exec(part);
    const name = m?.[1]?.toLowerCase();
    if (!m || name === undefined || m[2] === undefined) {
      return { error: `${LEASE_HEADER} must be "epoch=<E>; seconds=<L>", got "${text.slice(0, 80)}"` };
    }
    if (values[name] !== undefined) return { error: `${LEASE_HEADER} names ${name} twice` };
    values[name] = Number(m[2]);
  }
  const { epoch, seconds } = values;
  if (epoch === undefined || seconds === undefined) {
    return { error: `${LEASE_HEADER} must name both epoch and seconds, got "${text.slice(0, 80)}"` };
  }
  if (seconds < 1) return { error: `${LEASE_HEADER} grants ${seconds} s: a lease is at least 1 s` };
  return { epoch, seconds };
}

/** What is signed: `lease.<S>.<P>.<E>.<L>` after `<timestamp>.` (the shared signer adds that part). */
export function leaseSigningBody(store: string, node: string, epoch: number, seconds: number): string {
  return `lease.${store}.${node}.${epoch}.${seconds}`;
}

async function verify(
  v: LeaseVerifier,
  grant: { epoch: number; seconds: number },
  timestamp: string | undefined,
  signature: string | undefined,
): Promise<LeaseReading> {
  const checked = await verifySignature({
    secret: v.keys,
    timestampHeader: timestamp,
    signatureHeader: signature,
    rawBody: leaseSigningBody(v.store, v.node, grant.epoch, grant.seconds),
    nowMs: v.nowMs,
    toleranceSeconds: v.toleranceSeconds,
  });
  if (!checked.ok) {
    const why =
      checked.code === 'mismatch' ? `${checked.reason} (not signed for ${v.store}/${v.node}?)` : checked.reason;
    return { kind: 'rejected', reason: `lease epoch=${grant.epoch} seconds=${grant.seconds} ignored: ${why}` };
  }
  return {
    kind: 'lease',
    lease: { ...grant, timestamp: checked.timestamp, signature: checked.signature },
  };
}

/** The lease a probe carries. `header` reads a request header by name, case-insensitively. */
export async function leaseFromHeaders(
  header: (name: string) => string | undefined,
  v: LeaseVerifier,
): Promise<LeaseReading> {
  const text = header(LEASE_HEADER.toLowerCase());
  if (text === undefined || text.trim() === '') return { kind: 'none' };
  const grant = parseLeaseHeader(text);
  if ('error' in grant) return { kind: 'rejected', reason: `lease ignored: ${grant.error}` };
  return verify(v, grant, header('x-mirrorwatch-timestamp'), header('x-mirrorwatch-signature'));
}

const PushLease = z.object({
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  seconds: z.number().int().min(1).max(3600),
  timestamp: z.union([z.number().int().min(0), z.string().regex(/^\d{1,15}$/)]),
  signature: z.string().max(1000),
});

/** The lease in a push's answer body (already parsed JSON; anything else there is ignored). */
export async function leaseFromPushAnswer(body: unknown, v: LeaseVerifier): Promise<LeaseReading> {
  if (typeof body !== 'object' || body === null || !('lease' in body) || body.lease == null) return { kind: 'none' };
  const parsed = PushLease.safeParse(body.lease);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      kind: 'rejected',
      reason: `lease in the push answer ignored: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`,
    };
  }
  const { epoch, seconds, timestamp, signature } = parsed.data;
  return verify(v, { epoch, seconds }, String(timestamp), signature);
}
