/**
 * Alert routing, in one place: which channels reach a store (and from which severity), whether a
 * message goes to a routed channel, which Worker secrets a channel names, and the only secrets a
 * delivery to that channel is handed.
 */
import { isReservedName } from '../reserved-names.ts';
import {
  type AlertChannel,
  type AlertSettings,
  type RoutedChannel,
  type Severity,
  severityRank,
} from '../schemas/alerting.ts';

/** What routing needs to know of a store. */
export interface RoutedStore {
  id: string;
  region?: string | undefined;
}

/** Whether a route or window that lists stores and regions covers this store. */
export const covers = (item: { stores?: string[] | undefined; regions?: string[] | undefined }, store: RoutedStore) =>
  (item.stores?.includes(store.id) ?? false) ||
  (store.region !== undefined && (item.regions?.includes(store.region) ?? false));

/** The channels routed to a store, each with the lowest severity any of its matching routes lets through. */
export function channelsFor(alerts: AlertSettings | undefined, store: RoutedStore): RoutedChannel[] {
  if (!alerts) return [];
  const min = new Map<string, Severity>();
  for (const route of alerts.routes) {
    const everyStore = route.stores === undefined && route.regions === undefined;
    if (!everyStore && !covers(route, store)) continue;
    for (const id of route.channels) {
      const had = min.get(id);
      if (had === undefined || severityRank(route.minSeverity) < severityRank(had)) min.set(id, route.minSeverity);
    }
  }
  return alerts.channels.flatMap((channel) => {
    const minSeverity = min.get(channel.id);
    return minSeverity === undefined ? [] : [{ channel, minSeverity }];
  });
}

/** Whether a message of this severity goes to a routed channel. */
export function sendsTo(routed: Pick<RoutedChannel, 'minSeverity'>, severity: Severity): boolean {
  return severityRank(severity) >= severityRank(routed.minSeverity);
}

const SECRET_PLACEHOLDER = /\{\{\s*secret:([A-Z][A-Z0-9_]*)\s*\}\}/g;

/**
 * The Worker secrets a channel names, each with the field naming it (`headers.X-Key` for a header
 * template). An email channel names a binding, not a secret, and is not listed here.
 */
export function channelSecretNames(channel: AlertChannel): Array<{ field: string; name: string }> {
  const refs: Array<{ field: string; name: string }> = [];
  const at = (field: string, name: string | undefined) => {
    if (name !== undefined) refs.push({ field, name });
  };
  switch (channel.type) {
    case 'webhook':
      at('secret', channel.secret);
      break;
    case 'email':
      break;
    case 'sms':
      for (const [field, template] of [
        ['url', channel.url],
        ['body', channel.body],
        ...Object.entries(channel.headers).map(([h, v]) => [`headers.${h}`, v] as const),
      ] as const)
        for (const m of template.matchAll(SECRET_PLACEHOLDER)) at(field, m[1]);
      break;
    default:
      at('urlSecret', channel.urlSecret);
      if ('signSecret' in channel) at('signSecret', channel.signSecret);
  }
  return refs;
}

/**
 * The secrets one delivery may read: those its channel names, and none of the Worker's own
 * credentials even if a config slipped one through. An email channel gets its binding.
 */
export function channelSecrets(channel: AlertChannel, env: object): Record<string, unknown> {
  const names = channel.type === 'email' ? [channel.binding] : channelSecretNames(channel).map((ref) => ref.name);
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (isReservedName(name)) continue;
    const value: unknown = Reflect.get(env, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
