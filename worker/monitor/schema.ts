/**
 * The StoreMonitor's tables. Rollups are one row per minute (all endpoints in one JSON column) and
 * one row per closed day, so a healthy store writes about two rows a minute whatever its size:
 * Cloudflare bills rows written, and the budget is 0.1 per probe.
 */
import { ensureSchema } from '../storage/schema.ts';

const SCHEMA_VERSION = 4;

export function ensureMonitorSchema(sql: SqlStorage): void {
  ensureSchema(
    sql,
    SCHEMA_VERSION,
    `
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, type TEXT NOT NULL, status TEXT, message TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS failover_records (id TEXT PRIMARY KEY, decided_at INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS minute_rollups (minute INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS day_rollups (day INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS probe_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, endpoint TEXT NOT NULL, ok INTEGER NOT NULL, error TEXT);
    CREATE TABLE IF NOT EXISTS alert_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, message TEXT NOT NULL,
      attempts INTEGER NOT NULL, next_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS job_state (id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS job_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, at INTEGER NOT NULL, event TEXT NOT NULL, message TEXT);
    CREATE INDEX IF NOT EXISTS job_runs_by_job ON job_runs (job, id);
    ALTER TABLE job_runs ADD COLUMN run TEXT;
    CREATE INDEX IF NOT EXISTS events_by_type ON events (type, id);
  `,
  );
  // The hooks' replay memory (added on the http branch; to be ported into the ordered migrations).
  sql.exec(
    'CREATE TABLE IF NOT EXISTS used_signatures (key TEXT PRIMARY KEY, forget_after INTEGER NOT NULL) WITHOUT ROWID',
  );
}
