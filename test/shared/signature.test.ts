import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { timingSafeEqual } from '#shared/constant-time.ts';
import { replayForgetAfterMs, replayKey, signedHeaders, signPayload, verifySignature } from '#shared/signature.ts';

const secret = 'whsec-test-3f9a';
const body = '{"action":"promote","store":"gz-tianhe","node":"gz-tianhe-b","epoch":4}';
const nowMs = 1_795_000_000_000;
const ts = Math.floor(nowMs / 1000);

function expected(key: string, timestamp: number, raw: string): string {
  return `v1=${createHmac('sha256', key).update(`${timestamp}.${raw}`).digest('hex')}`;
}

function verify(overrides: Partial<Parameters<typeof verifySignature>[0]> = {}, signature?: string) {
  return verifySignature({
    secret,
    timestampHeader: String(ts),
    signatureHeader: signature ?? expected(secret, ts, body),
    rawBody: body,
    nowMs,
    ...overrides,
  });
}

describe('signPayload', () => {
  it('matches an HMAC-SHA256 computed independently with node:crypto', async () => {
    expect(await signPayload(secret, ts, body)).toBe(expected(secret, ts, body));
  });

  it('matches a fixed known-answer vector', async () => {
    // printf '1.hello' | openssl dgst -sha256 -hmac key
    const known = '9233658ef5e21fe59dba8abb099c978547d7626f87090a6a585c26a2a98a91f8';
    expect(await signPayload('key', 1, 'hello')).toBe(`v1=${known}`);
  });

  it('signedHeaders stamps whole unix seconds and signs with them', async () => {
    const headers = await signedHeaders(secret, body, nowMs + 999);
    expect(headers['X-Mirrorwatch-Timestamp']).toBe(String(ts));
    expect(headers['X-Mirrorwatch-Signature']).toBe(expected(secret, ts, body));
  });
});

describe('verifySignature', () => {
  it('accepts a valid signature and returns it with its timestamp', async () => {
    expect(await verify()).toEqual({ ok: true, signature: expected(secret, ts, body), timestamp: ts });
  });

  it('refuses a tampered body', async () => {
    const result = await verify({ rawBody: body.replace('"epoch":4', '"epoch":5') });
    expect(result).toMatchObject({ ok: false, code: 'mismatch' });
  });

  it('refuses a signature made with another secret', async () => {
    const result = await verify({}, expected('another-secret', ts, body));
    expect(result).toMatchObject({ ok: false, code: 'mismatch' });
  });

  it('accepts exactly the tolerance and refuses one second more (stale)', async () => {
    const at300 = await verify({ nowMs: nowMs + 300_000 });
    expect(at300.ok).toBe(true);
    const at301 = await verify({ nowMs: nowMs + 301_000 });
    expect(at301).toMatchObject({ ok: false, code: 'stale' });
    if (!at301.ok) expect(at301.reason).toContain('301 s old');
  });

  it('refuses a timestamp too far in the future', async () => {
    const result = await verify({ nowMs: nowMs - 301_000 });
    expect(result).toMatchObject({ ok: false, code: 'future' });
  });

  it('honours a custom tolerance', async () => {
    expect((await verify({ nowMs: nowMs + 31_000, toleranceSeconds: 30 })).ok).toBe(false);
    expect((await verify({ nowMs: nowMs + 30_000, toleranceSeconds: 30 })).ok).toBe(true);
  });

  it.each([
    ['missing timestamp', { timestampHeader: null }, 'missing_timestamp'],
    ['empty timestamp', { timestampHeader: '  ' }, 'missing_timestamp'],
    ['missing signature', { signatureHeader: undefined }, 'missing_signature'],
    ['timestamp not digits', { timestampHeader: '1795000000.5' }, 'malformed_timestamp'],
    ['timestamp in ms words', { timestampHeader: 'yesterday' }, 'malformed_timestamp'],
  ] as const)('refuses a %s', async (_name, overrides, code) => {
    const result = await verifySignature({
      secret,
      timestampHeader: String(ts),
      signatureHeader: expected(secret, ts, body),
      rawBody: body,
      nowMs,
      ...overrides,
    });
    expect(result).toMatchObject({ ok: false, code });
  });

  it.each([
    ['no scheme', createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')],
    ['wrong scheme', `v0=${'a'.repeat(64)}`],
    ['uppercase hex', expected(secret, ts, body).toUpperCase().replace('V1=', 'v1=')],
    ['short hex', 'v1=abcdef'],
    ['not hex', `v1=${'z'.repeat(64)}`],
  ])('refuses a malformed signature header (%s)', async (_name, header) => {
    expect(await verify({}, header)).toMatchObject({ ok: false, code: 'malformed_signature' });
  });

  it('accepts one matching value among several and any of several secrets', async () => {
    const list = `v1=${'0'.repeat(64)}, ${expected(secret, ts, body)}`;
    expect((await verify({}, list)).ok).toBe(true);
    expect((await verify({ secret: ['old-secret', secret] })).ok).toBe(true);
    expect((await verify({ secret: ['old-secret', 'other'] })).ok).toBe(false);
  });

  it('gives replay caches a key and a moment after which it can be forgotten', async () => {
    const result = await verify();
    if (!result.ok) throw new Error(result.reason);
    expect(replayKey(result)).toBe(`${ts}:${result.signature}`);
    expect(replayForgetAfterMs(ts)).toBe((ts + 301) * 1000);
  });
});

describe('timingSafeEqual', () => {
  it('is true only for identical strings', () => {
    expect(timingSafeEqual('', '')).toBe(true);
    expect(timingSafeEqual('token-1', 'token-1')).toBe(true);
    expect(timingSafeEqual('token-1', 'token-2')).toBe(false);
    expect(timingSafeEqual('Token-1', 'token-1')).toBe(false);
  });

  it('is false for a prefix or an extension, whichever side is longer', () => {
    expect(timingSafeEqual('token', 'token-1')).toBe(false);
    expect(timingSafeEqual('token-1', 'token')).toBe(false);
    expect(timingSafeEqual('', 'x')).toBe(false);
  });

  it('is not fooled by NUL padding of the shorter string', () => {
    expect(timingSafeEqual('abc', 'abc\u0000')).toBe(false);
    expect(timingSafeEqual('abc\u0000', 'abc')).toBe(false);
  });

  it('compares non-ASCII characters', () => {
    expect(timingSafeEqual('广州天河', '广州天河')).toBe(true);
    expect(timingSafeEqual('广州天河', '广州越秀')).toBe(false);
  });
});
