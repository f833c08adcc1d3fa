/**
 * What a StoreMonitor keeps about its store, in two records that never overwrite each other:
 * the config (written only by `ensure()`) and what rounds observed (written only by rounds and the
 * epoch adoption). A round in flight when the config changes can thus not undo the change. Also the
 * monitor's warm, in-memory state, all in one object so `remove()` forgets it at a stroke.
 */
import { z } from 'zod';
import type { Classification } from '#shared/classify.ts';
import type { StoreView } from '#shared/failover/types.ts';
import { type RollupAccumulator, startAccumulator } from '#shared/rollup.ts';
import { MonitorConfigSchema } from '#shared/schemas/config.ts';
import { type StoreStatus, StoreStatusName } from '#shared/schemas/status.ts';
import { jsonColumn, readMeta, writeMeta } from '../storage/sql.ts';

export const ConfigRecord = z.object({ config: MonitorConfigSchema, fleet: z.string() });
export type ConfigRecord = z.infer<typeof ConfigRecord>;

export const Observed = z.object({
  status: StoreStatusName,
  since: z.number(),
  knownPrimary: z.string().nullable(),
  /** The store's epoch: the highest the monitor issued or adopted; null before first contact. */
  epoch: z.number().int().nullable(),
});
export type Observed = z.infer<typeof Observed>;

/** The single record monitors wrote before the split (schema step 5 and earlier). */
const Legacy = ConfigRecord.extend({
  status: StoreStatusName,
  since: z.number(),
  knownPrimary: z.string().nullable(),
  epoch: z.number().int(),
});

export function loadConfig(sql: SqlStorage): ConfigRecord | null {
  const raw = readMeta(sql, 'config');
  if (raw !== null) return jsonColumn(ConfigRecord, raw, 'monitor config');
  const legacy = readMeta(sql, 'state');
  if (legacy === null) return null;
  const { config, fleet } = jsonColumn(Legacy, legacy, 'monitor state');
  return { config, fleet };
}

/** Before the first round: nothing seen, no epoch known. */
export function noObservations(now: number): Observed {
  return { status: 'unknown', since: now, knownPrimary: null, epoch: null };
}

export function loadObserved(sql: SqlStorage, now: number): Observed {
  const raw = readMeta(sql, 'observed');
  if (raw !== null) return jsonColumn(Observed, raw, 'monitor observations');
  const legacy = readMeta(sql, 'state');
  if (legacy === null) return noObservations(now);
  const { status, since, knownPrimary, epoch } = jsonColumn(Legacy, legacy, 'monitor state');
  // The old record started at epoch 0 before any contact: 0 meant "none known yet".
  return { status, since, knownPrimary, epoch: epoch === 0 ? null : epoch };
}

export function saveConfig(sql: SqlStorage, record: ConfigRecord): number {
  return writeMeta(sql, 'config', JSON.stringify(record));
}

export function saveObserved(sql: SqlStorage, observed: Observed): number {
  return writeMeta(sql, 'observed', JSON.stringify(observed));
}

export interface MonitorStats {
  rounds: number;
  probes: number;
  rowsWritten: number;
}

/** Everything a warm monitor holds in memory about its store; `remove()` starts a fresh one. */
export interface Warm {
  /** Probe rounds completed since the monitor (re)started: the startup grace counts these. */
  freshRounds: number;
  rollup: RollupAccumulator;
  /** The status last composed, and its significance key. */
  last: { status: StoreStatus; key: string } | null;
  classification: Classification | null;
  /** What the failover machine re-checks every decision against: the latest round. */
  view: StoreView | null;
  lastSentAt: number;
  lastHistoryAt: number;
  lastHistory: string;
  /** A status change awaits the round's data: the public history is sent at the end of the round. */
  historyPending: boolean;
  /** The last history sent had a 24 h figure: while healthy, it is refreshed only every 10 minutes. */
  historyHadFigures: boolean;
  /** When the next round is scheduled (written by rounds only). */
  scheduledRoundAt: number;
  /** A round asked for sooner (config change, maintenance): served by the next round to start. */
  requestedRoundAt: number | null;
  /** The stale-primary fencer's last fence per node. */
  staleFencedAt: Record<string, number>;
  stats: MonitorStats;
  /** Rows the object's stores had written before this state began (a removal restarts the count). */
  rowsBefore: number;
}

export function freshWarm(rowsBefore = 0): Warm {
  return {
    freshRounds: 0,
    rollup: startAccumulator(),
    last: null,
    classification: null,
    view: null,
    lastSentAt: 0,
    lastHistoryAt: 0,
    lastHistory: '',
    historyPending: false,
    historyHadFigures: false,
    scheduledRoundAt: 0,
    requestedRoundAt: null,
    staleFencedAt: {},
    stats: { rounds: 0, probes: 0, rowsWritten: 0 },
    rowsBefore,
  };
}
