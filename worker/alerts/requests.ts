/**
 * The HTTP request(s) each channel sends for one alert, as pure functions of the channel, the
 * message, a secret lookup and the clock: no fetch here, so Node tests can check every byte.
 * Throws `AlertConfigError` when the channel cannot be sent as configured.
 */
import type { AlertMessage } from '#shared/schemas/alert.ts';
import type { AlertChannel } from '#shared/schemas/alerting.ts';
import { signedHeaders } from '#shared/signature.ts';
import { dingtalkPayload, feishuPayload, slackPayload, teamsPayload, wecomPayload } from './chat-payloads.ts';
import { requireSecret, requireUrlSecret, type SecretLookup } from './config-error.ts';
import { type AlertRequest, headerValue } from './request.ts';
import { dingtalkSignedUrl, feishuSignature } from './robot-signing.ts';
import { smsRequests } from './sms-template.ts';

export const ALERT_KEY_HEADER = 'X-Mirrorwatch-Alert-Key';

export type HttpChannel = Exclude<AlertChannel, { type: 'email' }>;

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

const postJson = (url: string, payload: unknown): AlertRequest => ({
  url,
  method: 'POST',
  headers: { ...JSON_HEADERS },
  body: JSON.stringify(payload),
});

export async function buildRequests(
  channel: HttpChannel,
  message: AlertMessage,
  secret: SecretLookup,
  now: number,
): Promise<AlertRequest[]> {
  switch (channel.type) {
    case 'webhook': {
      const body = JSON.stringify(message);
      const signature = await signedHeaders(requireSecret(secret, channel.secret), body, now);
      const headers = { ...JSON_HEADERS, ...signature, [ALERT_KEY_HEADER]: headerValue(message.key) };
      return [{ url: channel.url, method: 'POST', headers, body }];
    }
    case 'slack':
      return [postJson(requireUrlSecret(secret, channel.urlSecret), slackPayload(message))];
    case 'teams':
      return [postJson(requireUrlSecret(secret, channel.urlSecret), teamsPayload(message))];
    case 'wecom':
      return [postJson(requireUrlSecret(secret, channel.urlSecret), wecomPayload(message))];
    case 'dingtalk': {
      const url = requireUrlSecret(secret, channel.urlSecret);
      const signed = channel.signSecret
        ? await dingtalkSignedUrl(url, requireSecret(secret, channel.signSecret), now)
        : url;
      return [postJson(signed, dingtalkPayload(message))];
    }
    case 'feishu': {
      const url = requireUrlSecret(secret, channel.urlSecret);
      const signature = channel.signSecret ? await feishuSignature(requireSecret(secret, channel.signSecret), now) : {};
      return [postJson(url, { ...signature, ...feishuPayload(message) })];
    }
    case 'sms':
      return smsRequests(channel, message, secret);
  }
}
