/**
 * Schema migrations for a Durable Object's SQLite database: an ordered list of steps per object,
 * each applied exactly once, in order, inside a transaction together with the count of steps
 * applied (the schema version is the list's length). Steps are only ever appended: changing or
 * removing a shipped step would leave deployed databases apart from fresh ones.
 *
 * Durable Object SQLite refuses PRAGMA user_version, so the count lives in `schema_steps`. Objects
 * from before the list kept a version number in `schema_version` (one DDL blob re-run whenever it
 * differed); `legacy` maps that number to the position in the list it stands for.
 */
import { z } from 'zod';
import { firstRow } from './sql.ts';

export interface Migrations {
  /** For error messages: which object's schema. */
  object: string;
  steps: readonly string[];
  /** The number of steps a database at this old `schema_version` already has. */
  legacy(version: number): number;
}

const Applied = z.object({ applied: z.number().int() });
const Legacy = z.object({ version: z.number().int() });

function appliedSteps(storage: DurableObjectStorage, m: Migrations): number {
  const sql = storage.sql;
  sql.exec('CREATE TABLE IF NOT EXISTS schema_steps (id INTEGER PRIMARY KEY CHECK (id = 1), applied INTEGER NOT NULL)');
  const row = firstRow(sql, Applied, 'SELECT applied FROM schema_steps WHERE id = 1');
  if (row) return row.applied;
  return storage.transactionSync(() => {
    const hasLegacy = sql
      .exec("SELECT 1 AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
      .toArray().length;
    const legacy = hasLegacy ? firstRow(sql, Legacy, 'SELECT version FROM schema_version WHERE id = 1') : null;
    const applied = legacy ? m.legacy(legacy.version) : 0;
    if (hasLegacy) sql.exec('DROP TABLE schema_version');
    sql.exec('INSERT INTO schema_steps (id, applied) VALUES (1, ?)', applied);
    return applied;
  });
}

/** Applies the steps `from` … `to - 1` (0-based), each in its own transaction with its count. */
export function applySteps(storage: DurableObjectStorage, m: Migrations, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const step = m.steps[i];
    if (step === undefined) break;
    try {
      storage.transactionSync(() => {
        storage.sql.exec(step);
        storage.sql.exec('UPDATE schema_steps SET applied = ? WHERE id = 1', i + 1);
      });
    } catch (err) {
      throw new Error(
        `${m.object} schema: migration step ${i + 1} of ${m.steps.length} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
}

/** Brings the database to the last step; one read when it is current, so it runs on every wake. */
export function migrate(storage: DurableObjectStorage, m: Migrations): void {
  const applied = appliedSteps(storage, m);
  if (applied > m.steps.length) {
    throw new Error(
      `${m.object} schema: the database has ${applied} migration steps, this code knows ${m.steps.length} (a rollback?)`,
    );
  }
  applySteps(storage, m, applied, m.steps.length);
}
