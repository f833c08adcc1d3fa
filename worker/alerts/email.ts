/**
 * Email through Cloudflare's `send_email` binding (Email Service), with the structured builder
 * form of `SendEmail.send`. The binding is typed here by the one method used, so this module also
 * runs in Node tests against a stand-in or a miniflare proxy. The binding throws errors carrying a
 * string `code`; rate limits, internal errors and unknown failures are worth retrying, a refused
 * sender, recipient or message is not.
 */
import type { AlertMessage } from '#shared/schemas/alert.ts';
import type { AlertChannel } from '#shared/schemas/alerting.ts';
import { type DeliveryOutcome, delivered, failed } from './outcome.ts';
import { snippet } from './redact.ts';

type EmailChannel = Extract<AlertChannel, { type: 'email' }>;

export interface AlertEmail {
  from: string;
  to: string[];
  subject: string;
  text: string;
}

export interface SendEmailBinding {
  send(message: AlertEmail): Promise<unknown>;
}

/** Codes (Cloudflare Email Service, Workers API) that will fail the same way if sent again. */
const PERMANENT_CODES = new Set([
  'E_VALIDATION_ERROR',
  'E_FIELD_MISSING',
  'E_TOO_MANY_RECIPIENTS',
  'E_SENDER_NOT_VERIFIED',
  'E_SENDER_DOMAIN_NOT_AVAILABLE',
  'E_RECIPIENT_NOT_ALLOWED',
  'E_RECIPIENT_SUPPRESSED',
  'E_CONTENT_TOO_LARGE',
  'E_HEADER_NOT_ALLOWED',
  'E_HEADER_VALUE_INVALID',
]);

const TIMED_OUT = Symbol('timed out');

function isSendEmailBinding(value: unknown): value is SendEmailBinding {
  return typeof value === 'object' && value !== null && 'send' in value && typeof value.send === 'function';
}

export function alertEmail(channel: EmailChannel, message: AlertMessage): AlertEmail {
  const store = message.region ? `${message.storeName} (${message.region})` : message.storeName;
  const facts = [
    `Store: ${store}`,
    `Severity: ${message.severity}`,
    `Condition: ${message.condition}`,
    `Opened: ${message.openedAt}`,
  ];
  return {
    from: channel.from,
    to: channel.to,
    // A line break in a subject would be a header injection; the binding refuses it anyway.
    subject: message.title.replace(/[\r\n]+/g, ' '),
    text: `${message.text}\n\n${facts.join('\n')}\n`,
  };
}

function errorCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null || !('code' in error)) return null;
  return typeof error.code === 'string' ? error.code : null;
}

export async function sendAlertEmail(
  channel: EmailChannel,
  message: AlertMessage,
  secrets: Readonly<Record<string, unknown>>,
  timeoutMs: number,
): Promise<DeliveryOutcome> {
  const binding = secrets[channel.binding];
  if (!isSendEmailBinding(binding)) {
    return failed(
      channel,
      `the Worker has no send_email binding named ${channel.binding} ([[send_email]] in wrangler.toml)`,
      false,
    );
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  try {
    const result = await Promise.race([binding.send(alertEmail(channel, message)), timeout]);
    if (result === TIMED_OUT) return failed(channel, `no answer within ${timeoutMs} ms`, true);
    return delivered(null);
  } catch (error) {
    const code = errorCode(error);
    const words = snippet(error instanceof Error ? error.message : String(error));
    return failed(channel, code ? `${code}: ${words}` : words, !(code !== null && PERMANENT_CODES.has(code)));
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
