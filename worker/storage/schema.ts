/**
 * Idempotent schema setup gated by a version row (Durable Object SQLite refuses PRAGMA
 * user_version). Cheap enough to run on every wake: one read when the schema is current.
 */
import { z } from 'zod';
import { firstRow } from './sql.ts';

export function ensureSchema(sql: SqlStorage, version: number, ddl: string): void {
  sql.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)',
  );
  const row = firstRow(sql, z.object({ version: z.number() }), 'SELECT version FROM schema_version WHERE id = 1');
  if (row?.version === version) return;
  sql.exec(ddl);
  sql.exec(
    'INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET version = excluded.version',
    version,
  );
}
