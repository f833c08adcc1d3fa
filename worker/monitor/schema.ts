/**
 * The StoreMonitor's tables, as an ordered list of migration steps (worker/storage/migrations.ts).
 * Rollups are one row per minute (all endpoints in one JSON column) and one row per closed day, so
 * a healthy store writes about two rows a minute whatever its size: Cloudflare bills rows written,
 * and the budget is 0.1 per probe.
 */
import { type Migrations, migrate } from '../storage/migrations.ts';

export const MONITOR_MIGRATIONS: Migrations = {
  object: 'StoreMonitor',
  steps: [
    // 1: the tables of the old single-blob schema (its versions 1 to 3; IF NOT EXISTS, as it was).
    `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
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
    CREATE INDEX IF NOT EXISTS job_runs_by_job ON job_runs (job, id);`,
    // 2: a job run's own id (old version 4).
    'ALTER TABLE job_runs ADD COLUMN run TEXT',
    // 3: events by type (old version 4).
    'CREATE INDEX IF NOT EXISTS events_by_type ON events (type, id)',
    // 4: replay memory of this store's signed requests (pushes no longer go through the Fleet).
    `CREATE TABLE used_signatures (key TEXT PRIMARY KEY, forget_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE INDEX used_signatures_by_forget ON used_signatures (forget_at);`,
    // 5: the node a job's heartbeat came from, and the epoch it followed (primary-only jobs).
    `ALTER TABLE job_runs ADD COLUMN node TEXT;
    ALTER TABLE job_runs ADD COLUMN epoch INTEGER;`,
    // 6: reinstatements sent and not yet seen through (contract section 8), one per node.
    'CREATE TABLE reinstatements (node TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID',
  ],
  // Old version 4 is steps 1 to 3; anything older lacked the run column: step 1 is safe to re-run.
  legacy: (version) => (version >= 4 ? 3 : 0),
};

export function ensureMonitorSchema(storage: DurableObjectStorage): void {
  migrate(storage, MONITOR_MIGRATIONS);
}
