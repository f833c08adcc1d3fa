/**
 * Messages between the popup/options pages and the background, and the answers to each. Both
 * sides parse what they receive: a message that does not parse is answered `{ ok: false, error }`
 * and changes nothing; an answer that does not parse becomes such an error on the asking side.
 */
import * as g from './guard.ts';
import { Connection, Fleet, isConfigured, NotifyToggles, type Settings, WatchSettings } from './storage-items.ts';
import { StoreJobs } from './store-jobs.ts';
import { ApiErrorDetail, Failover } from './wire.ts';

const StoreId = g.string({ min: 1, max: 64 });

export const Message = g.discriminatedUnion('type', [
  g.strictObject({ type: g.literal('getState') }),
  g.strictObject({ type: g.literal('refresh') }),
  g.strictObject({
    type: g.literal('failover'),
    store: StoreId,
    reason: g.string({ trim: true, min: 1, minMessage: 'a reason is required', max: 500 }),
    target: g.optional(StoreId),
    allowDataLoss: g.optional(g.boolean()),
  }),
  g.strictObject({ type: g.literal('settingsChanged') }),
  g.strictObject({ type: g.literal('jobs'), store: StoreId }),
]);
export type Message = g.Infer<typeof Message>;
export type FailoverMessage = Extract<Message, { type: 'failover' }>;

export const ErrorBody = g.object({
  code: g.string(),
  message: g.string(),
  /** The server's HTTP status when the error came from it, else null. */
  status: g.nullable(g.number()),
  details: g.array(ApiErrorDetail),
});
export type ErrorBody = g.Infer<typeof ErrorBody>;

const Refused = g.object({ ok: g.literal(false), error: ErrorBody });
export type Refused = g.Infer<typeof Refused>;

/** The settings a page may see: everything but the token. */
export const PublicSettings = g.object({
  serverUrl: g.string(),
  configured: g.boolean(),
  watch: WatchSettings,
  notify: NotifyToggles,
});
export type PublicSettings = g.Infer<typeof PublicSettings>;

export function publicSettings(settings: Settings): PublicSettings {
  return {
    serverUrl: settings.serverUrl,
    configured: isConfigured(settings),
    watch: settings.watch,
    notify: settings.notify,
  };
}

export const StateResponse = g.union([
  g.object({
    ok: g.literal(true),
    state: g.object({ fleet: Fleet, connection: Connection, settings: PublicSettings }),
  }),
  Refused,
]);
export type StateResponse = g.Infer<typeof StateResponse>;

export const AckResponse = g.union([g.object({ ok: g.literal(true) }), Refused]);
export type AckResponse = g.Infer<typeof AckResponse>;

/** `failover` is null when the server accepted but sent a body this version cannot read. */
export const FailoverResponse = g.union([g.object({ ok: g.literal(true), failover: g.nullable(Failover) }), Refused]);
export type FailoverResponse = g.Infer<typeof FailoverResponse>;

export const JobsResponse = g.union([g.object({ ok: g.literal(true), jobs: StoreJobs }), Refused]);
export type JobsResponse = g.Infer<typeof JobsResponse>;

export type AnyResponse = StateResponse | AckResponse | FailoverResponse | JobsResponse;

export function refused(
  code: string,
  message: string,
  status: number | null = null,
  details: ErrorBody['details'] = [],
): Refused {
  return { ok: false, error: { code, message, status, details } };
}
