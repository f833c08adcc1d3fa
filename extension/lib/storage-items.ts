/**
 * Every value the extension keeps, declared once. The MV3 service worker can be stopped at any
 * time, so everything that must survive it lives here, in storage.local (the token too: it never
 * goes to storage.sync). Values are parsed on every read: storage is a boundary like any other.
 */
import { storage } from 'wxt/utils/storage';
import * as g from './guard.ts';
import { StoreStatus } from './wire.ts';

export const NotifyToggles = g.object({ red: g.boolean(), awaiting: g.boolean(), failover: g.boolean() });

export const WatchSettings = g.object({ stores: g.array(g.string()), regions: g.array(g.string()) });

export const Settings = g.object({
  serverUrl: g.string(),
  token: g.string(),
  watch: WatchSettings,
  notify: NotifyToggles,
  /**
   * auto (or absent): the browser's language; else English or Chinese. Optional, so settings saved
   * before it existed read as they are, with no new version.
   */
  language: g.optional(g.enumOf(['auto', 'en', 'zh-CN'])),
});
export type Settings = g.Infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: '',
  token: '',
  watch: { stores: [], regions: [] },
  notify: { red: true, awaiting: true, failover: true },
};

export function isConfigured(settings: Settings): boolean {
  return settings.serverUrl !== '' && settings.token !== '';
}

/** Version 1 kept one `watch` list mixing store ids and "region:<name>" entries. */
const SettingsV1 = g.object({
  serverUrl: g.string(),
  token: g.string(),
  watch: g.array(g.string()),
  notify: NotifyToggles,
});

/**
 * Idempotent: a value already in the v2 shape passes through. @wxt-dev/storage takes a value with
 * no version stamp for v1, and a v2 value can lose its stamp (it is written separately).
 */
export function migrateSettingsV1ToV2(old: unknown): Settings {
  const already = Settings.safeParse(old);
  if (already.success) return already.data;
  const v1 = SettingsV1.safeParse(old);
  if (!v1.success) {
    console.warn(`mirrorwatch: settings v1 unreadable (${v1.error}); starting from defaults`);
    return DEFAULT_SETTINGS;
  }
  const stores: string[] = [];
  const regions: string[] = [];
  for (const entry of v1.data.watch) {
    const region = /^region:(.+)$/i.exec(entry.trim())?.[1]?.trim();
    if (region) regions.push(region);
    else if (entry.trim() !== '') stores.push(entry.trim());
  }
  return { serverUrl: v1.data.serverUrl, token: v1.data.token, watch: { stores, regions }, notify: v1.data.notify };
}

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: { 2: migrateSettingsV1ToV2 },
});

/** The last known fleet, from whichever source delivered it. `etag` belongs to the last poll only. */
export const Fleet = g.object({
  server: g.nullable(g.string()),
  stores: g.array(StoreStatus),
  receivedAt: g.nullable(g.number()),
  source: g.nullable(g.enumOf(['stream', 'poll'])),
  etag: g.nullable(g.string()),
});
export type Fleet = g.Infer<typeof Fleet>;

export const EMPTY_FLEET: Fleet = { server: null, stores: [], receivedAt: null, source: null, etag: null };

export const fleetItem = storage.defineItem<Fleet>('local:fleet', { fallback: EMPTY_FLEET, version: 1 });

export const CONNECTION_STATES = ['connected', 'connecting', 'offline', 'unauthorized', 'unconfigured'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/**
 * connected: the live stream is open. connecting: the server answers (REST) but the stream is not
 * open (yet): polling keeps the data fresh. offline: the server could not be reached.
 * unauthorized: the server refused the token. unconfigured: no server URL or token yet.
 */
export const Connection = g.object({
  state: g.enumOf(CONNECTION_STATES),
  since: g.number(),
  lastError: g.nullable(g.string()),
});
export type Connection = g.Infer<typeof Connection>;

export const INITIAL_CONNECTION: Connection = { state: 'unconfigured', since: 0, lastError: null };

export const connectionItem = storage.defineItem<Connection>('local:connection', {
  fallback: INITIAL_CONNECTION,
  version: 1,
});

/** When a notification was last sent, per "<store>:<kind>", to hold back a flapping store. */
export const NotifiedLog = g.record(g.number());
export type NotifiedLog = g.Infer<typeof NotifiedLog>;

export const notifiedItem = storage.defineItem<NotifiedLog>('local:notified', { fallback: {}, version: 1 });

/** A stored value that no longer parses is reported and replaced by the fallback, never trusted. */
export function parseStored<T>(schema: g.Schema<T>, raw: unknown, fallback: T, key: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  console.warn(`mirrorwatch: stored ${key} is invalid (${parsed.error}); using the default`);
  return fallback;
}

export async function readSettings(): Promise<Settings> {
  return parseStored(Settings, await settingsItem.getValue(), DEFAULT_SETTINGS, settingsItem.key);
}

export async function readFleet(): Promise<Fleet> {
  return parseStored(Fleet, await fleetItem.getValue(), EMPTY_FLEET, fleetItem.key);
}

export async function readConnection(): Promise<Connection> {
  return parseStored(Connection, await connectionItem.getValue(), INITIAL_CONNECTION, connectionItem.key);
}

export async function readNotified(): Promise<NotifiedLog> {
  return parseStored(NotifiedLog, await notifiedItem.getValue(), {}, notifiedItem.key);
}
