/**
 * The Fleet Durable Object: the validated fleet config, the latest summary of every store, the
 * audit log and the live stream. Store monitors report here only when a store's summary changes;
 * the config is fanned out to the monitors on every change and again by the watchdog cron, so a
 * monitor that missed an update converges within a minute. What the config change is and what the
 * public may see are decided in shared/fleet/; this object applies them.
 */
import { DurableObject } from 'cloudflare:workers';
import { z } from 'zod';
import { type ConfigDiff, configChangeAudit, diffConfigs } from '#shared/fleet/config-diff.ts';
import { type PublicPage, placeholderStatus, publicPage } from '#shared/fleet/public-page.ts';
import { incidentId, incidentStore } from '#shared/incident-id.ts';
import { ARBITER_PRINCIPAL, HOOK_PRINCIPAL, jobPrincipal } from '#shared/keys.ts';
import type { DeadMan } from '#shared/schemas/alerting.ts';
import { PublicHistory, type PublicStatus } from '#shared/schemas/api.ts';
import type { AuditInput, AuditPage } from '#shared/schemas/audit.ts';
import { FleetConfig } from '#shared/schemas/config.ts';
import type { IncidentNote, IncidentNoteRequest, ListedIncident } from '#shared/schemas/incident-notes.ts';
import { StoreStatus } from '#shared/schemas/status.ts';
import { entityTag } from '../http/etag.ts';
import { STREAM_HEADERS, validTokenHashes } from '../http/stream-auth.ts';
import { allRows, firstRow, jsonColumn, write } from '../storage/sql.ts';
import { AuditLog } from './audit-log.ts';
import { IncidentNotes } from './incident-notes.ts';
import { ensureMonitors, pendingRemovals, queueRemovals, removeMonitors } from './monitor-fanout.ts';
import { ensureFleetSchema } from './schema.ts';
import { acceptStream, broadcast, closeRevoked, onClientMessage, PING, PONG, TOKEN_RECHECK_MS } from './stream.ts';

export type ConfigChange = ConfigDiff & { stores: number };

const PAGE_MEMO_MS = 1000;
/** Incidents are listed 14 days (worker/monitor/public-history.ts): their notes are all younger than this. */
const NOTES_SHOWN_MS = 15 * 86_400_000;
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
  private pageMemo: { at: number; page: PublicPage } | null = null;
  /** The list's build, kept from its start: requests that miss together share one build. */
  private listMemo: { at: number; list: Promise<{ body: string; etag: string }> } | null = null;
  private readonly auditLog: AuditLog;
  private readonly notes: IncidentNotes;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    ensureFleetSchema(ctx.storage);
    this.auditLog = new AuditLog(this.sql);
    this.notes = new IncidentNotes(this.sql);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  /** Only the stream's WebSocket upgrade comes here; the route has checked the viewer token. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade', { status: 426 });
    }
    const snapshot = { type: 'snapshot', at: new Date().toISOString(), stores: this.listStatuses() } as const;
    const response = acceptStream(this.ctx, snapshot, {
      tokenHash: request.headers.get(STREAM_HEADERS.tokenHash) ?? '',
      answerProtocol: request.headers.get(STREAM_HEADERS.protocol) === '1',
    });
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + TOKEN_RECHECK_MS);
    return response;
  }

  /** Closes sockets whose token was removed from the env; re-arms while sockets remain. */
  override async alarm(): Promise<void> {
    const open = closeRevoked(this.ctx, await validTokenHashes(this.env));
    if (open > 0) await this.ctx.storage.setAlarm(Date.now() + TOKEN_RECHECK_MS);
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

  /** Stores the config, then brings every monitor in line with it; the change is audited as `who`'s. */
  async putConfig(input: FleetConfig, who: string): Promise<ConfigChange> {
    const config = FleetConfig.parse(input);
    const change: ConfigChange = { stores: config.stores.length, ...diffConfigs(this.getConfig(), config) };
    const now = Date.now();
    write(
      this.sql,
      'INSERT INTO config (id, json, updated_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at',
      JSON.stringify(config),
      now,
    );
    this.auditLog.append(configChangeAudit(change, change.stores, who), now);
    this.cached = { config, ids: new Set(config.stores.map((s) => s.id)) };
    this.pageMemo = null;
    this.listMemo = null;
    queueRemovals(this.sql, change.removed);
    for (const id of change.removed) {
      write(this.sql, 'DELETE FROM summaries WHERE store_id = ?', id);
      write(this.sql, 'DELETE FROM public_history WHERE store_id = ?', id);
      this.notes.forget(id);
      this.historyCache?.delete(id);
      this.live.delete(id);
      broadcast(this.ctx, { type: 'removed', at: new Date().toISOString(), id });
    }
    // A store added back before its earlier removal went through must not be removed by the cron.
    for (const id of change.added) write(this.sql, 'DELETE FROM pending_removals WHERE store_id = ?', id);
    await Promise.all([
      ensureMonitors(this.env, this.fleetName(), config, [...change.added, ...change.changed]),
      removeMonitors(this.env, this.fleetName(), this.sql, change.removed),
    ]);
    return change;
  }

  /** The watchdog: every monitor gets its config again (a no-op when unchanged) and an alarm. */
  async rearmMonitors(): Promise<{ rearmed: string[]; failed: string[]; stores: number; deadMan: DeadMan | null }> {
    const config = this.getConfig();
    const [ensured, removal] = await Promise.all([
      config
        ? ensureMonitors(
            this.env,
            this.fleetName(),
            config,
            config.stores.map((s) => s.id),
          )
        : { rearmed: [], failed: [] },
      removeMonitors(this.env, this.fleetName(), this.sql, pendingRemovals(this.sql)),
    ]);
    return {
      rearmed: ensured.rearmed,
      failed: [...ensured.failed, ...removal.failed],
      stores: config?.stores.length ?? 0,
      deadMan: config?.deadMan ?? null,
    };
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
    return config.stores.map((s) => this.live.get(s.id) ?? placeholderStatus(s, Date.now()));
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
    return this.live.get(store.id) ?? placeholderStatus(store, Date.now());
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
  publicPage(now: number): PublicPage {
    if (this.pageMemo && now - this.pageMemo.at >= 0 && now - this.pageMemo.at < PAGE_MEMO_MS)
      return this.pageMemo.page;
    const statuses = new Map(this.listStatuses().map((s) => [s.id, s]));
    const notes = this.notes.since(now - NOTES_SHOWN_MS);
    const page = publicPage(this.getConfig(), statuses, this.histories(), now, notes);
    this.pageMemo = { at: now, page };
    return page;
  }

  /** Every store's listed incidents (public or not), newest first, with their ids and notes. */
  listIncidents(now: number): ListedIncident[] {
    const notes = this.notes.since(now - NOTES_SHOWN_MS);
    return (this.getConfig()?.stores ?? [])
      .flatMap((s) =>
        (this.histories().get(s.id)?.incidents ?? []).map((i) => {
          const id = incidentId(s.id, i);
          return { id, store: s.id, ...i, notes: notes.get(id) ?? [] };
        }),
      )
      .sort((a, b) => b.start.localeCompare(a.start));
  }

  /**
   * An operator's public note on an incident the store's timeline lists now; null when there is no
   * such incident (or store). Audited as `who`'s.
   */
  addIncidentNote(incident: string, note: IncidentNoteRequest, who: string): IncidentNote | null {
    const store = incidentStore(incident);
    if (store === null || !this.hasStore(store)) return null;
    if (
      !this.histories()
        .get(store)
        ?.incidents.some((i) => incidentId(store, i) === incident)
    )
      return null;
    const now = Date.now();
    const saved = this.notes.add(incident, store, note, now);
    const what = `public note on ${incident}${saved.state ? ` (${saved.state})` : ''}: ${saved.text}`;
    this.auditLog.append({ who, action: 'incident.note', store, what: what.slice(0, 2000), outcome: 'done' }, now);
    this.pageMemo = null;
    return saved;
  }

  /** Records what a route did (or was refused), as the token's name or `hook` says. */
  audit(input: AuditInput): void {
    this.auditLog.append(input, Date.now());
  }

  auditPage(limit: number, cursor: number | null): AuditPage {
    return this.auditLog.page(limit, cursor);
  }

  /**
   * The principals whose keys may sign hooks for a store (docs/PROTOCOL.md section 4): its nodes, its
   * arbiter, its failover hook and its jobs; null when the config has no such store.
   */
  hookPrincipals(storeId: string): string[] | null {
    const store = this.getConfig()?.stores.find((s) => s.id === storeId);
    if (!store) return null;
    return [
      ...store.nodes.map((n) => n.id),
      ...(store.arbiter ? [ARBITER_PRINCIPAL] : []),
      HOOK_PRINCIPAL,
      ...(store.jobs ?? []).map((j) => jobPrincipal(j.id)),
    ];
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
