/**
 * Delivers one alert to one channel and says how it went; never throws for anything a receiver
 * or the config can do. The StoreMonitor decides what to do with a failure (retry if `retryable`).
 * It is handed only the secrets its channel names (`channelSecrets` in shared/alerts/routing.ts),
 * never the Worker's whole env, so a channel cannot reach a secret it was not given.
 */
import type { AlertMessage } from '#shared/schemas/alert.ts';
import type { AlertChannel } from '#shared/schemas/alerting.ts';
import { AlertConfigError, type SecretLookup } from './config-error.ts';
import { sendAlertEmail } from './email.ts';
import { type Exchange, sendRequest } from './http-send.ts';
import { type DeliveryOutcome, delivered, failed } from './outcome.ts';
import { type Redact, redactor, snippet } from './redact.ts';
import type { AlertRequest } from './request.ts';
import { buildRequests, type HttpChannel } from './requests.ts';
import { judgeAnswer } from './vendor-answers.ts';

export type { DeliveryOutcome } from './outcome.ts';

export interface DeliveryOptions {
  /** Wall-clock ms: signatures carry it, and receivers refuse ones far from their own clock. */
  now: number;
  /** Bounds each request (the answer included), and the email binding's send. */
  timeoutMs: number;
}

/** How much of a receiver's own words an error quotes. */
const MAX_QUOTE = 200;

export async function deliverAlert(
  channel: AlertChannel,
  message: AlertMessage,
  secrets: Readonly<Record<string, unknown>>,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  if (channel.type === 'email') return sendAlertEmail(channel, message, secrets, options.timeoutMs);
  const used: string[] = [];
  const secret: SecretLookup = (name) => {
    const value = secrets[name];
    if (typeof value !== 'string') return undefined;
    used.push(value);
    return value;
  };
  let requests: AlertRequest[];
  try {
    requests = await buildRequests(channel, message, secret, options.now);
  } catch (error) {
    if (error instanceof AlertConfigError) return failed(channel, error.message, false);
    throw error;
  }
  const redact = redactor(used);
  const exchanges = await Promise.all(requests.map((request) => sendRequest(request, options.timeoutMs)));
  return combine(
    channel,
    exchanges.map((exchange) => judge(channel, exchange, options.timeoutMs, redact)),
  );
}

type Result = { ok: true; status: number } | { ok: false; status: number | null; detail: string; retryable: boolean };

function judge(channel: HttpChannel, exchange: Exchange, timeoutMs: number, redact: Redact): Result {
  if (exchange.kind === 'timeout') {
    return { ok: false, status: null, detail: `no answer within ${timeoutMs} ms`, retryable: true };
  }
  if (exchange.kind === 'network') {
    return {
      ok: false,
      status: null,
      detail: `connection failed: ${describe(exchange.error, redact)}`,
      retryable: true,
    };
  }
  const verdict = judgeAnswer(channel.type, exchange, (words) => snippet(redact(words), MAX_QUOTE));
  if (verdict.ok) return { ok: true, status: exchange.status };
  return { ok: false, status: exchange.status, detail: verdict.detail, retryable: verdict.retryable };
}

/** The error's message and its cause's code (Node: "fetch failed (ECONNREFUSED)"), scrubbed. */
function describe(error: unknown, redact: Redact): string {
  if (!(error instanceof Error)) return snippet(redact(String(error)), MAX_QUOTE);
  const cause = error.cause;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : null;
  return snippet(redact(`${error.message || error.name}${code ? ` (${code})` : ''}`), MAX_QUOTE);
}

/**
 * SMS sends one request per recipient: delivered when all were. A retry re-sends to everyone, so a
 * recipient may get a page twice, which beats one who never gets it. Errors count recipients and
 * never name their numbers.
 */
function combine(channel: HttpChannel, results: Result[]): DeliveryOutcome {
  const failures = results.filter((r) => !r.ok);
  const first = failures[0];
  if (first === undefined) return delivered(results.at(-1)?.status ?? null);
  const retryable = failures.some((r) => r.retryable);
  if (results.length === 1) return failed(channel, first.detail, retryable, first.status);
  const which = `${failures.length} of ${results.length} recipients failed; recipient ${results.indexOf(first) + 1}`;
  return failed(channel, `${which}: ${first.detail}`, retryable, first.status);
}
