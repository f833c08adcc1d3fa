/**
 * The "加签" (signature) security setting of DingTalk and Feishu custom robots. Both sign
 * `${timestamp}\n${secret}` with HMAC-SHA256 and base64, but differently:
 * - DingTalk: timestamp in ms, key = the secret, message = that string; timestamp and sign go in
 *   the URL query.
 * - Feishu: timestamp in seconds, key = that string, message = empty; timestamp and sign go in the
 *   JSON body.
 * Both refuse a timestamp more than an hour from their clock, so `nowMs` must be the wall clock.
 */

async function hmacSha256Base64(key: string, message: string): Promise<string> {
  const encoder = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    encoder.encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(message)));
  let binary = '';
  for (const byte of mac) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The robot URL with `timestamp` and the URL-encoded `sign` appended to its query. */
export async function dingtalkSignedUrl(robotUrl: string, secret: string, nowMs: number): Promise<string> {
  const timestamp = String(Math.floor(nowMs));
  const sign = await hmacSha256Base64(secret, `${timestamp}\n${secret}`);
  const joiner = robotUrl.includes('?') ? '&' : '?';
  return `${robotUrl}${joiner}timestamp=${timestamp}&sign=${encodeURIComponent(sign)}`;
}

/** The `timestamp` (unix seconds, a string) and `sign` fields a Feishu robot body carries. */
export async function feishuSignature(secret: string, nowMs: number): Promise<{ timestamp: string; sign: string }> {
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, sign: await hmacSha256Base64(`${timestamp}\n${secret}`, '') };
}
