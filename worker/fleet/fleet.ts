/**
 * The Fleet Durable Object: the validated fleet config, the latest summary of every store, and
 * (for hooks) the record of signatures already used. Store monitors report here only when a
 * store's summary changes; the config is fanned out to the monitors on every change and again
 * by the watchdog cron, so a monitor that missed an update converges within a minute.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import type { DeadMan } from '#shared/schemas/alerting.ts';
import { PublicHistory, type PublicStatus, type Uptime } from '#shared/schemas/api.ts';
import { FleetConfig, monitorConfigFor } from '#shared/schemas/config.ts';
import { StoreStatus } from '#shared/schemas/status.ts';
import { entityTag } from '../http/etag.ts';
import { monitorStub } from '../monitor/stub.ts';
import { allRows, firstRow, jsonColumn, write } from '../storage/sql.ts';
import { ensureFleetSchema } from './schema.ts';
import { acceptStream, broadcast, onClientMessage, PING, PONG } from './stream.ts';

export interface ConfigChange {
  stores: number;
  added: string[];
  changed: string[];
  removed: string[];
}

const PAGE_MEMO_MS = 1000;
const LIST_MEMO_MS = 1000;
const SummaryRow = z.object({ store_id: z.string(), status: z.string() });
const HistoryRow = z.object({ store_id: z.string(), json: z.string() });
const ConfigRow = z.object({ json: z.string() });

export class Fleet extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  /** Live summaries; volatile fields (latency, lag) are refreshed here without a storage write. */
  private readonly live = new Map<string, StoreStatus>();
  private loaded = false;
  /** Parsed once per wake: reading it back from storage on every report would cost a parse each. */
  private cached: { config: FleetConfig | null; ids: Set<string> } | null = null;
  private historyCache: Map<string, PublicHistory> | null = null;
  /** The public page's data, reused for PAGE_MEMO_MS: a crowd of cache misses builds it once. */
  private pageMemo: { at: number; page: ReturnType<Fleet['buildPublicPage']> } | null = null;
  /** The list's build, kept from its start: requests that miss together share one build. */
  private listMemo: { at: number; list: Promise<{ body: string; etag: string }> } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ensureFleetSchema(ctx.storage);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Only the stream's WebSocket upgrade comes here; the route has checked the viewer token. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    return acceptStream(this.ctx, { type: 'snapshot', at: new Date().toISOString(), stores: this.listStatuses() });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    onClientMessage(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed by the runtime: nothing left to do
    }
  }

  private fleetName(): string {
    return this.ctx.id.name ?? this.env.FLEET_NAME;
  }

  getConfig(): FleetConfig | null {
    if (!this.cached) {
      const row = firstRow(this.sql, ConfigRow, 'SELECT json FROM config WHERE id = 1');
      const config = row ? jsonColumn(FleetConfig, row.json, 'fleet config') : null;
      this.cached = { config, ids: new Set(config?.stores.map((s) => s.id)) };
    }
    return this.cached.config;
  }

  /** Stores the config, then brings every monitor in line with it. */
  async putConfig(input: FleetConfig): Promise<ConfigChange> {
    const config = FleetConfig.parse(input);
    const before = this.getConfig();
    const oldStores = new Map((before?.stores ?? []).map((s) => [s.id, monitorConfigFor(before ?? config, s)]));
    const change: ConfigChange = { stores: config.stores.length, added: [], changed: [], removed: [] };
    write(
      this.sql,
      'INSERT INTO config (id, json, updated_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at',
      JSON.stringify(config),
      Date.now(),
    );
    this.cached = { config, ids: new Set(config.stores.map((s) => s.id)) };
    this.pageMemo = null;
    this.listMemo = null;
    const wanted = new Set(config.stores.map((s) => s.id));
    for (const id of oldStores.keys()) {
      if (!wanted.has(id)) change.removed.push(id);
    }
    for (const store of config.stores) {
      const next = monitorConfigFor(config, store);
      const prev = oldStores.get(store.id);
      if (!prev) change.added.push(store.id);
      else if (JSON.stringify(prev) !== JSON.stringify(next)) change.changed.push(store.id);
    }
    for (const id of change.removed) {
      write(this.sql, 'INSERT OR REPLACE INTO pending_removals (store_id) VALUES (?)', id);
      write(this.sql, 'DELETE FROM summaries WHERE store_id = ?', id);
      write(this.sql, 'DELETE FROM public_history WHERE store_id = ?', id);
      this.historyCache?.delete(id);
      this.live.delete(id);
      broadcast(this.ctx, { type: 'removed', at: new Date().toISOString(), id });
    }
    // A store added back before its earlier removal went through must not be removed by the cron.
    for (const id of change.added) write(this.sql, 'DELETE FROM pending_removals WHERE store_id = ?', id);
    await Promise.all([
      this.ensureMonitors(config, [...change.added, ...change.changed]),
      this.removeMonitors(change.removed),
    ]);
    return change;
  }

  /** The watchdog: every monitor gets its config again (a no-op when unchanged) and an alarm. */
  async rearmMonitors(): Promise<{ rearmed: string[]; failed: string[]; stores: number; deadMan: DeadMan | null }> {
    const config = this.getConfig();
    const [ensured, removal] = await Promise.all([
      config
        ? this.ensureMonitors(
            config,
            config.stores.map((s) => s.id),
          )
        : { rearmed: [], failed: [] },
      this.removeMonitors(this.pendingRemovals()),
    ]);
    return {
      rearmed: ensured.rearmed,
      failed: [...ensured.failed, ...removal.failed],
      stores: config?.stores.length ?? 0,
      deadMan: config?.deadMan ?? null,
    };
  }

  private pendingRemovals(): string[] {
    return allRows(this.sql, z.object({ store_id: z.string() }), 'SELECT store_id FROM pending_removals').map(
      (r) => r.store_id,
    );
  }

  private async ensureMonitors(config: FleetConfig, ids: string[]) {
    const rearmed: string[] = [];
    const failed: string[] = [];
    const fleet = this.fleetName();
    const byId = new Map(config.stores.map((s) => [s.id, s]));
    await Promise.all(
      ids.map(async (id) => {
        const store = byId.get(id);
        if (!store) return;
        try {
          if (await monitorStub(this.env, id).ensure(monitorConfigFor(config, store), fleet)) rearmed.push(id);
        } catch (err) {
          failed.push(id);
          console.error(`fleet ${fleet}: could not configure the monitor of store ${id} (retried by cron):`, err);
        }
      }),
    );
    return { rearmed, failed };
  }

  /** Removals are queued first, so a monitor that could not be reached is stopped by a later cron. */
  private async removeMonitors(ids: string[]) {
    const failed: string[] = [];
    await Promise.all(
      ids.map(async (id) => {
        try {
          await monitorStub(this.env, id).remove();
          write(this.sql, 'DELETE FROM pending_removals WHERE store_id = ?', id);
        } catch (err) {
          failed.push(id);
          console.error(
            `fleet ${this.fleetName()}: could not stop the monitor of removed store ${id} (retried by cron):`,
            err,
          );
        }
      }),
    );
    return { failed };
  }

  /**
   * A monitor's summary. `significant` (status, reasons, roles, epoch… changed) is persisted;
   * otherwise only the in-memory copy is refreshed, so steady state costs no rows here.
   */
  reportStatus(status: StoreStatus, significant: boolean): boolean {
    // Typed RPC from this worker's own monitors, on the hot path: parsed when read back from storage.
    const parsed = status;
    if (!this.hasStore(parsed.id)) return false;
    this.loadLive();
    this.live.set(parsed.id, parsed);
    if (significant) {
      this.pageMemo = null;
      this.listMemo = null;
      broadcast(this.ctx, { type: 'store', at: new Date().toISOString(), store: parsed });
      write(
        this.sql,
        'INSERT INTO summaries (store_id, status) VALUES (?, ?) ON CONFLICT(store_id) DO UPDATE SET status = excluded.status',
        parsed.id,
        JSON.stringify(parsed),
      );
    }
    return true;
  }

  /** A monitor's public view of its store (uptime, 90 days, incidents): one row per store. */
  reportHistory(storeId: string, history: PublicHistory): boolean {
    const parsed = history; // typed RPC from a monitor; parsed when read back from storage
    if (!this.hasStore(storeId)) return false;
    write(
      this.sql,
      'INSERT INTO public_history (store_id, json) VALUES (?, ?) ON CONFLICT(store_id) DO UPDATE SET json = excluded.json',
      storeId,
      JSON.stringify(parsed),
    );
    this.histories().set(storeId, parsed);
    this.pageMemo = null;
    return true;
  }

  /** Parsed once per wake and kept current by reportHistory: the public page reads it per request. */
  private histories(): Map<string, PublicHistory> {
    this.historyCache ??= new Map(
      allRows(this.sql, HistoryRow, 'SELECT store_id, json FROM public_history').map((r) => [
        r.store_id,
        jsonColumn(PublicHistory, r.json, `public history of ${r.store_id}`),
      ]),
    );
    return this.historyCache;
  }

  listStatuses(): StoreStatus[] {
    const config = this.getConfig();
    if (!config) return [];
    this.loadLive();
    return config.stores.map((s) => this.live.get(s.id) ?? placeholder(s.id, s.name, s.region ?? null));
  }

  /**
   * `GET /api/v1/stores` as a ready JSON string with its ETag: one string crosses the RPC instead of
   * a thousand objects, and it is reused for LIST_MEMO_MS (the stream carries changes as they happen).
   * The memo is set before the ETag is awaited: at 1,000 stores the body is about 0.9 MB, and
   * concurrent requests each serialising and hashing it again would cost the object that much more.
   */
  storeList(now: number): Promise<{ body: string; etag: string }> {
    if (this.listMemo && now - this.listMemo.at >= 0 && now - this.listMemo.at < LIST_MEMO_MS)
      return this.listMemo.list;
    const body = JSON.stringify({ stores: this.listStatuses() });
    const list = entityTag(body).then((etag) => ({ body, etag }));
    const memo = { at: now, list };
    this.listMemo = memo;
    list.catch(() => {
      if (this.listMemo === memo) this.listMemo = null;
    });
    return list;
  }

  getStatus(storeId: string): StoreStatus | null {
    const store = this.getConfig()?.stores.find((s) => s.id === storeId);
    if (!store) return null;
    this.loadLive();
    return this.live.get(store.id) ?? placeholder(store.id, store.name, store.region ?? null);
  }

  /** Whether the config has this store: what routes check first, without building any status. */
  hasStore(storeId: string): boolean {
    this.getConfig();
    return this.cached?.ids.has(storeId) ?? false;
  }

  publicStatus(now: number): PublicStatus {
    return this.publicPage(now).status;
  }

  /**
   * Everything the public page shows, built from the config's public stores only: names, regions,
   * statuses, and each store's public history. Nothing else can reach the page.
   */
  publicPage(now: number): { status: PublicStatus; history: Record<string, Omit<PublicHistory, 'uptime'>> } {
    if (this.pageMemo && now - this.pageMemo.at >= 0 && now - this.pageMemo.at < PAGE_MEMO_MS)
      return this.pageMemo.page;
    const page = this.buildPublicPage(now);
    this.pageMemo = { at: now, page };
    return page;
  }

  private buildPublicPage(now: number): {
    status: PublicStatus;
    history: Record<string, Omit<PublicHistory, 'uptime'>>;
  } {
    const config = this.getConfig();
    const statuses = new Map(this.listStatuses().map((s) => [s.id, s]));
    const histories = this.histories();
    const none: Uptime = { '24h': null, '7d': null, '30d': null, '90d': null };
    const stores = (config?.stores ?? []).filter((s) => s.public);
    const history: Record<string, Omit<PublicHistory, 'uptime'>> = {};
    for (const s of stores) {
      const h = histories.get(s.id);
      history[s.id] = { days: h?.days ?? [], incidents: h?.incidents ?? [], planned: h?.planned ?? null };
    }
    return {
      status: {
        generatedAt: new Date(now).toISOString(),
        stores: stores.map((s) => {
          const status = statuses.get(s.id);
          return {
            id: s.id,
            name: s.name,
            region: s.region ?? null,
            status: status?.status ?? 'unknown',
            since: status?.since ?? new Date(now).toISOString(),
            uptime: histories.get(s.id)?.uptime ?? none,
            nextMaintenance: histories.get(s.id)?.planned ?? null,
          };
        }),
      },
      history,
    };
  }

  /** Replay protection for signed hooks: true the first time a signature is seen. */
  consumeSignature(signature: string, expiresAt: number, now: number): boolean {
    write(this.sql, 'DELETE FROM used_signatures WHERE expires_at < ?', now);
    const seen = firstRow(
      this.sql,
      z.object({ n: z.number() }),
      'SELECT 1 AS n FROM used_signatures WHERE sig = ?',
      signature,
    );
    if (seen) return false;
    write(this.sql, 'INSERT INTO used_signatures (sig, expires_at) VALUES (?, ?)', signature, expiresAt);
    return true;
  }

  private loadLive(): void {
    if (this.loaded) return;
    for (const row of allRows(this.sql, SummaryRow, 'SELECT store_id, status FROM summaries')) {
      if (!this.live.has(row.store_id)) {
        this.live.set(row.store_id, jsonColumn(StoreStatus, row.status, `summary of ${row.store_id}`));
      }
    }
    this.loaded = true;
  }
}

function placeholder(id: string, name: string, region: string | null): StoreStatus {
  return {
    id,
    name,
    region,
    status: 'unknown',
    since: new Date().toISOString(),
    primary: null,
    epoch: 0,
    lagSeconds: null,
    nodes: [],
    arbiter: null,
    reasons: ['waiting for the first probe round'],
    lastFailover: null,
    checkedAt: null,
  };
}
