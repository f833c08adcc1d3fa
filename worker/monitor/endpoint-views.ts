/**
 * What a StoreMonitor has seen of each endpoint between rounds: every node's probe history, the
 * active endpoint's and the arbiter's, the reports agents pushed, and each node's last lag while
 * streaming (the RPO guard's input, kept across restarts). Probe transitions go to the probe log.
 */
import { z } from 'zod';
import {
  EMPTY_HISTORY,
  type EndpointHistory,
  foldProbe,
  type NodeObservation,
  type PushedReport,
  type StoreObservations,
  type StreamingLag,
} from '#shared/observations.ts';
import type { ResourceReading } from '#shared/resources.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { jsonColumn, readMeta, writeMeta } from '../storage/sql.ts';
import type { MonitorHistory } from './history.ts';
import type { RoundResults } from './round.ts';

// `lagBytes` arrived later (issue 15): readings saved before it parse without it.
const Lags = z.record(
  z.string(),
  z.object({ at: z.number(), lagSeconds: z.number(), lagBytes: z.number().nullable().optional() }),
);
type Lags = z.infer<typeof Lags>;
/** Node ids never contain a colon, so this key cannot collide with one. */
const ARBITER = ':arbiter';

export class EndpointViews {
  rowsWritten = 0;
  private nodes = new Map<string, NodeObservation>();
  private active: EndpointHistory = EMPTY_HISTORY;
  private arbiter: EndpointHistory = EMPTY_HISTORY;
  /** Reports agents pushed (nodes behind NAT): by node id, and the arbiter's under ARBITER. */
  private readonly pushed = new Map<string, PushedReport>();
  private savedLags: Lags;

  constructor(
    private readonly sql: SqlStorage,
    private readonly history: MonitorHistory,
  ) {
    this.savedLags = this.loadLags();
  }

  private loadLags(): Lags {
    const raw = readMeta(this.sql, 'lags');
    return raw !== null ? jsonColumn(Lags, raw, 'last streaming lags') : {};
  }

  /** Written only when a stream stops: that reading is what a failover decision will weigh. */
  private saveLags(nodes: Map<string, NodeObservation>): void {
    const lags: Lags = {};
    for (const [id, n] of nodes) if (n.lastStreamingLag) lags[id] = n.lastStreamingLag;
    this.savedLags = lags;
    this.rowsWritten += writeMeta(this.sql, 'lags', JSON.stringify(lags));
  }

  /** A pushed report (checked by the caller against the store's config) counts while fresh. */
  push(report: AgentReport, at: number): void {
    this.pushed.set(report.role === 'arbiter' ? ARBITER : report.node, { at, report });
  }

  /** Folds a round's outcomes into each endpoint's history; keeps the last lag seen while streaming. */
  fold(round: RoundResults, now: number): void {
    const nodes = new Map<string, NodeObservation>();
    for (const r of round.nodes) {
      const prev = this.nodes.get(r.id);
      const http = foldProbe(prev?.http ?? EMPTY_HISTORY, r.http);
      const tcp = r.tcp ? foldProbe(prev?.tcp ?? EMPTY_HISTORY, r.tcp) : null;
      const pushed = this.pushed.get(r.id) ?? null;
      const lastStreamingLag = latestStreamingLag([
        prev?.lastStreamingLag ?? this.savedLags[r.id] ?? null,
        streamingLag(r.http.at, r.http.report),
        pushed ? streamingLag(pushed.at, pushed.report) : null,
      ]);
      this.logTransition(`node:${r.id}`, prev?.http, http, now);
      if (tcp) this.logTransition(`tcp:${r.id}`, prev?.tcp ?? undefined, tcp, now);
      nodes.set(r.id, { id: r.id, http, tcp, pushed, lastStreamingLag });
    }
    const streamStopped = [...nodes.values()].some(
      (n) =>
        n.lastStreamingLag !== null &&
        n.http.last?.report?.replication?.state !== 'streaming' &&
        this.savedLags[n.id]?.at !== n.lastStreamingLag.at,
    );
    if (streamStopped) this.saveLags(nodes);
    this.nodes = nodes;
    const active = foldProbe(this.active, round.active);
    this.logTransition('active', this.active, active, now);
    this.active = active;
    if (round.arbiter) {
      const arbiter = foldProbe(this.arbiter, round.arbiter);
      this.logTransition('arbiter', this.arbiter, arbiter, now);
      this.arbiter = arbiter;
    }
  }

  /** The endpoints' part of what `classify` weighs. */
  observed(store: StoreConfig): Pick<StoreObservations, 'nodes' | 'active' | 'arbiter'> {
    return {
      nodes: store.nodes.map((n) => this.nodes.get(n.id) ?? emptyNode(n.id)),
      active: this.active,
      arbiter: store.arbiter ? { http: this.arbiter, pushed: this.pushed.get(ARBITER) ?? null } : null,
    };
  }

  /** Each node's newest resource figures: this round's answer, or a report pushed since `freshFrom`. */
  resourceReadings(round: RoundResults, freshFrom: number): ResourceReading[] {
    return round.nodes.flatMap((r) => {
      const pushed = this.pushed.get(r.id);
      const report = r.http.report ?? (pushed && pushed.at >= freshFrom ? pushed.report : null);
      return report?.resources ? [{ node: r.id, ...report.resources }] : [];
    });
  }

  private logTransition(endpoint: string, before: EndpointHistory | undefined, after: EndpointHistory, now: number) {
    const wasOk = before?.last ? before.last.ok : true;
    const isOk = after.last?.ok ?? true;
    const reasonChanged = !isOk && before?.last?.error !== after.last?.error;
    if (wasOk !== isOk || reasonChanged) {
      this.history.logProbeTransition(after.last?.at ?? now, endpoint, isOk, after.last?.error ?? null);
    }
  }

  reset(): void {
    this.nodes.clear();
    this.pushed.clear();
    this.active = EMPTY_HISTORY;
    this.arbiter = EMPTY_HISTORY;
    this.savedLags = {};
  }
}

function streamingLag(at: number, report: AgentReport | null): StreamingLag | null {
  const rep = report?.replication;
  if (rep?.state !== 'streaming' || typeof rep.lagSeconds !== 'number') return null;
  return { at, lagSeconds: rep.lagSeconds, lagBytes: rep.lagBytes ?? null };
}

function latestStreamingLag(readings: Array<StreamingLag | null>) {
  let latest: StreamingLag | null = null;
  for (const r of readings) if (r && (!latest || r.at > latest.at)) latest = r;
  return latest;
}

function emptyNode(id: string): NodeObservation {
  return { id, http: EMPTY_HISTORY, tcp: null, pushed: null, lastStreamingLag: null };
}
