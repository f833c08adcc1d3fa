/** The Fleet object's tables. Idempotent; run on every wake. */
import { ensureSchema } from '../storage/schema.ts';

const SCHEMA_VERSION = 3;

export function ensureFleetSchema(sql: SqlStorage): void {
  ensureSchema(
    sql,
    SCHEMA_VERSION,
    `
    CREATE TABLE IF NOT EXISTS config (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS summaries (store_id TEXT PRIMARY KEY, status TEXT NOT NULL, uptime TEXT) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS public_history (store_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS pending_removals (store_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS used_signatures (sig TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, json TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS audit_by_time ON audit (at);
  `,
  );
}
