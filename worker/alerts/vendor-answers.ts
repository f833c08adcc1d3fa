/**
 * What a receiver's answer means. HTTP first: 2xx delivered, 429 and 5xx (and 408) worth retrying,
 * any other status refused. The Chinese robots answer HTTP 200 even when they refuse, with a code
 * in the JSON body (DingTalk and WeCom `errcode`/`errmsg`, Feishu `code`/`msg` or the older
 * `StatusCode`/`StatusMessage`): non-zero is a failure, retried only for their rate-limit codes.
 */
import type { HttpChannel } from './requests.ts';

export interface Answer {
  status: number;
  /** The start of the body (read up to a bound). */
  body: string;
}

export type Verdict = { ok: true } | { ok: false; retryable: boolean; detail: string };

type RobotType = 'dingtalk' | 'wecom' | 'feishu';

/** Codes that mean "too fast / busy, try later"; every other vendor code is a refusal. */
const RETRYABLE_CODES: Record<RobotType, ReadonlySet<number>> = {
  // 130101: more than 20 messages a minute; -1: system busy.
  dingtalk: new Set([130101, -1]),
  // 45009: API frequency limit; -1: system busy.
  wecom: new Set([45009, -1]),
  // 11232: robot frequency limit; 99991400: platform rate limit.
  feishu: new Set([11232, 99991400]),
};

interface VendorCode {
  code: number;
  message: string;
}

/** The robot's code and message, or null when the body is not such an answer. */
function vendorCode(type: RobotType, body: string): VendorCode | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const fields: Record<string, unknown> = { ...parsed };
  let [codeField, messageField] = ['errcode', 'errmsg'];
  if (type === 'feishu')
    [codeField, messageField] = 'code' in fields ? ['code', 'msg'] : ['StatusCode', 'StatusMessage'];
  const code = fields[codeField];
  const message = fields[messageField];
  return typeof code === 'number' ? { code, message: typeof message === 'string' ? message : '' } : null;
}

const robotType = (type: HttpChannel['type']): RobotType | null =>
  type === 'dingtalk' || type === 'wecom' || type === 'feishu' ? type : null;

/** Makes words from the receiver safe to quote (the caller scrubs secrets and bounds the length). */
export type Quote = (vendorWords: string) => string;

const codeDetail = (type: RobotType, v: VendorCode, quote: Quote) =>
  `${type === 'feishu' ? 'code' : 'errcode'} ${v.code}${v.message ? ` (${quote(v.message)})` : ''}`;

const retryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

export function judgeAnswer(type: HttpChannel['type'], { status, body }: Answer, quote: Quote): Verdict {
  const robot = robotType(type);
  const vendor = robot ? vendorCode(robot, body) : null;
  if (status >= 200 && status < 300) {
    if (robot === null) return { ok: true };
    if (vendor === null)
      return { ok: false, retryable: false, detail: `HTTP ${status} without the robot's JSON answer` };
    if (vendor.code === 0) return { ok: true };
    return { ok: false, retryable: RETRYABLE_CODES[robot].has(vendor.code), detail: codeDetail(robot, vendor, quote) };
  }
  if (status >= 300 && status < 400) {
    return { ok: false, retryable: false, detail: `HTTP ${status} (redirects are not followed)` };
  }
  // Feishu answers its rate limit with HTTP 400 on older APIs: the code decides.
  const limited = robot !== null && vendor !== null && RETRYABLE_CODES[robot].has(vendor.code);
  const words = robot !== null && vendor !== null ? codeDetail(robot, vendor, quote) : quote(body);
  return {
    ok: false,
    retryable: retryableStatus(status) || limited,
    detail: words ? `HTTP ${status}: ${words}` : `HTTP ${status}`,
  };
}
