/** The Fleet object's tables, as an ordered list of migration steps (worker/storage/migrations.ts). */
import { type Migrations, migrate } from '../storage/migrations.ts';

export const FLEET_MIGRATIONS: Migrations = {
  object: 'Fleet',
  steps: [
    // 1: the tables of the old single-blob schema (its versions 1 and 2; IF NOT EXISTS, as it was).
    `CREATE TABLE IF NOT EXISTS config (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS summaries (store_id TEXT PRIMARY KEY, status TEXT NOT NULL, uptime TEXT) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS public_history (store_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS pending_removals (store_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS used_signatures (sig TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;`,
    // 2: the audit log (who did what), read newest first and pruned by time.
    `CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, json TEXT NOT NULL);
    CREATE INDEX audit_by_time ON audit (at);`,
    // 3: signed hooks' replay memory moved to each store's monitor (contract v2: per store).
    'DROP TABLE IF EXISTS used_signatures;',
    // 4: public notes on incidents (issue 18), read by time for the page and the feed.
    `CREATE TABLE incident_notes (id INTEGER PRIMARY KEY AUTOINCREMENT, incident TEXT NOT NULL, store TEXT NOT NULL, at INTEGER NOT NULL, json TEXT NOT NULL);
    CREATE INDEX incident_notes_by_time ON incident_notes (at);`,
  ],
  // Old version 2 is step 1; version 1 had a subset of its tables, all created IF NOT EXISTS.
  legacy: (version) => (version >= 2 ? 1 : 0),
};

export function ensureFleetSchema(storage: DurableObjectStorage): void {
  migrate(storage, FLEET_MIGRATIONS);
}
