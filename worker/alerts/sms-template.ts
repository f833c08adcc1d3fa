/**
 * SMS through any provider's HTTP API, described by a template in the config (`SmsChannel`): one
 * request per recipient. A value is escaped for where it lands: JSON-string-escaped in a JSON body
 * (the template supplies the quotes), percent-encoded in a form body or the URL, raw in a header
 * (as far as a header can carry it: see `headerValue`).
 */
import type { AlertMessage } from '#shared/schemas/alert.ts';
import type { AlertChannel } from '#shared/schemas/alerting.ts';
import { AlertConfigError, isHttpUrl, requireSecret, type SecretLookup } from './config-error.ts';
import { type AlertRequest, headerValue } from './request.ts';
import { lines, truncateChars } from './text-limits.ts';

type Sms = Extract<AlertChannel, { type: 'sms' }>;

/** Longer texts cost several SMS segments, and a page only needs what and where. */
export const SMS_MAX_CHARS = 300;

/** The same placeholder syntax the config schema checks (`shared/schemas/alerting.ts`). */
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

type Escape = (value: string) => string;
const jsonEscape: Escape = (value) => JSON.stringify(value).slice(1, -1);
const percentEncode: Escape = (value) => encodeURIComponent(value);

/** The title, then the first line of the text that does not just repeat it. */
export function smsText(message: AlertMessage): string {
  const first = lines(message.text)
    .map((l) => l.trim())
    .find((l) => l !== message.title);
  const text = first ? `${message.title}\n${first}` : message.title;
  return truncateChars(text, SMS_MAX_CHARS);
}

export function renderTemplate(
  template: string,
  values: Readonly<Record<string, string>>,
  secret: SecretLookup,
  encode: Escape,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const secretName = /^secret:(.*)$/.exec(name)?.[1];
    if (secretName !== undefined) return encode(requireSecret(secret, secretName));
    const value = values[name];
    // The schema refuses unknown placeholders; should one get past it, it is sent as written.
    return value === undefined ? whole : encode(value);
  });
}

export function smsRequests(channel: Sms, message: AlertMessage, secret: SecretLookup): AlertRequest[] {
  const text = smsText(message);
  return channel.to.map((to) => {
    const values = { text, to, severity: message.severity, store: message.storeName, title: message.title };
    const url = renderTemplate(channel.url, values, secret, percentEncode);
    if (!isHttpUrl(url)) throw new AlertConfigError('the url template does not render to an http(s) URL');
    const headers: Record<string, string> = {};
    if (channel.method === 'POST') headers['content-type'] = channel.contentType;
    for (const [name, template] of Object.entries(channel.headers)) {
      headers[name.toLowerCase()] = renderTemplate(template, values, secret, headerValue);
    }
    if (channel.method === 'GET') return { url, method: 'GET', headers, body: null };
    const json = channel.contentType === 'application/json';
    const body = renderTemplate(channel.body, values, secret, json ? jsonEscape : percentEncode);
    if (json && body !== '' && !isJson(body))
      throw new AlertConfigError('the body template does not render to valid JSON');
    return { url, method: 'POST', headers, body };
  });
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
