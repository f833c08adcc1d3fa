/**
 * Alert channels and routing in the fleet config (docs/PROTOCOL.md section 2, `alerts`). Secrets are
 * named, never inlined: a channel says which Worker secret holds its URL or key, and the worker
 * checks at PUT time that each named secret exists.
 */
import { z } from 'zod';
import { LOCALES } from '../i18n/locale.ts';
import { Id as ChannelId } from './common.ts';

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;
export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;
export const SecretName = z.string().regex(SECRET_NAME_PATTERN, 'must name a Worker secret (A-Z, 0-9 and _)');

const HttpUrl = z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).max(2048);

/** Template placeholders a SMS body, URL or header may use; `{{secret:NAME}}` reads a Worker secret. */
export const SMS_PLACEHOLDERS = ['text', 'to', 'severity', 'store', 'title'] as const;
const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

function badPlaceholders(template: string): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? '';
    const secret = /^secret:(.*)$/.exec(name);
    if (secret ? !SECRET_NAME_PATTERN.test(secret[1] ?? '') : !(SMS_PLACEHOLDERS as readonly string[]).includes(name))
      bad.push(name);
  }
  return bad;
}
const Template = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((t, ctx) => {
      for (const name of badPlaceholders(t))
        ctx.addIssue({
          code: 'custom',
          message: `unknown placeholder {{${name}}}: use ${SMS_PLACEHOLDERS.map((p) => `{{${p}}}`).join(', ')} or {{secret:NAME}}`,
        });
    });

/** The language of a channel's alert titles (shared/alerts/catalog.ts): `en` unless set. */
const ChannelLocale = z.enum(LOCALES).default('en');

export const WebhookChannel = z.strictObject({
  id: ChannelId,
  locale: ChannelLocale,
  type: z.literal('webhook'),
  url: HttpUrl,
  /** Signs each delivery like an action (X-Mirrorwatch-Timestamp / -Signature). */
  secret: SecretName,
});
const RobotChannel = <T extends string>(type: T) =>
  z.strictObject({ id: ChannelId, locale: ChannelLocale, type: z.literal(type), urlSecret: SecretName });
export const SlackChannel = RobotChannel('slack');
export const TeamsChannel = RobotChannel('teams');
export const WecomChannel = RobotChannel('wecom');
/** DingTalk and Feishu robots may also require a signature ("加签"): the secret is named here. */
export const DingtalkChannel = z.strictObject({
  id: ChannelId,
  locale: ChannelLocale,
  type: z.literal('dingtalk'),
  urlSecret: SecretName,
  signSecret: SecretName.optional(),
});
export const FeishuChannel = z.strictObject({
  id: ChannelId,
  locale: ChannelLocale,
  type: z.literal('feishu'),
  urlSecret: SecretName,
  signSecret: SecretName.optional(),
});
export const EmailChannel = z.strictObject({
  id: ChannelId,
  locale: ChannelLocale,
  type: z.literal('email'),
  /** The Worker's `send_email` binding to send through. */
  binding: SecretName.default('ALERT_EMAIL'),
  from: z.email(),
  to: z.array(z.email()).min(1).max(20),
});
export const SmsChannel = z.strictObject({
  id: ChannelId,
  locale: ChannelLocale,
  type: z.literal('sms'),
  url: Template(2048).refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL'),
  method: z.enum(['POST', 'GET']).default('POST'),
  contentType: z.enum(['application/json', 'application/x-www-form-urlencoded']).default('application/json'),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name'), Template(1024)).default({}),
  /** The request body; placeholders are JSON- or form-escaped to match `contentType`. */
  body: Template(4096).default(''),
  /** One request per recipient. */
  to: z
    .array(z.string().regex(/^\+?[0-9]{5,20}$/, 'must be a phone number'))
    .min(1)
    .max(20),
});

export const AlertChannel = z.discriminatedUnion('type', [
  WebhookChannel,
  SlackChannel,
  TeamsChannel,
  DingtalkChannel,
  WecomChannel,
  FeishuChannel,
  EmailChannel,
  SmsChannel,
]);
export type AlertChannel = z.infer<typeof AlertChannel>;
export type AlertChannelType = AlertChannel['type'];

export const AlertRoute = z.strictObject({
  channels: z.array(ChannelId).min(1).max(20),
  /** Which stores this route covers: listed ids, stores in the listed regions; neither = every store. */
  stores: z.array(z.string()).max(5000).optional(),
  regions: z.array(z.string()).max(500).optional(),
  minSeverity: Severity.default('warning'),
});
export type AlertRoute = z.infer<typeof AlertRoute>;

export const AlertSettings = z.strictObject({
  channels: z.array(AlertChannel).max(50).default([]),
  routes: z.array(AlertRoute).max(200).default([]),
  /** Re-send an open alert this often while it stays open; 0 = never. */
  reminderMinutes: z.number().int().min(0).max(10080).default(60),
  /** A condition must stay clear this long before it resolves: a flapping one stays one alert. */
  flapSeconds: z.number().int().min(0).max(3600).default(60),
});
export type AlertSettings = z.infer<typeof AlertSettings>;

/** A channel as one store's monitor sees it: with the lowest severity any matching route sends. */
export const RoutedChannel = z.object({ channel: AlertChannel, minSeverity: Severity });
export type RoutedChannel = z.infer<typeof RoutedChannel>;

export const DeadMan = z
  .strictObject({ url: HttpUrl.optional(), urlSecret: SecretName.optional() })
  .refine((d) => (d.url === undefined) !== (d.urlSecret === undefined), 'give exactly one of url or urlSecret');
export type DeadMan = z.infer<typeof DeadMan>;
