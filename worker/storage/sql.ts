/** Small typed helpers over Durable Object SQLite: every row read back is parsed, never cast. */
import { z } from 'zod';

export type SqlValue = string | number | null;

const MetaRow = z.object({ value: z.string() });

export function allRows<T extends z.ZodType>(sql: SqlStorage, schema: T, query: string, ...args: SqlValue[]) {
  return sql
    .exec(query, ...args)
    .toArray()
    .map((row) => schema.parse(row) as z.infer<T>);
}

export function firstRow<T extends z.ZodType>(sql: SqlStorage, schema: T, query: string, ...args: SqlValue[]) {
  const row = sql.exec(query, ...args).next();
  return row.done ? null : (schema.parse(row.value) as z.infer<T>);
}

/** Runs a write and returns the rows it wrote (Cloudflare bills rows written). */
export function write(sql: SqlStorage, query: string, ...args: SqlValue[]): number {
  const cursor = sql.exec(query, ...args);
  for (const _ of cursor) {
    // drain: rowsWritten is final only once the statement has run to completion
  }
  return cursor.rowsWritten;
}

/**
 * The `meta (key, value)` table each object keeps its small singletons in (state, machine, alerts…):
 * the value under `key`, or null when never written.
 */
export function readMeta(sql: SqlStorage, key: string): string | null {
  return firstRow(sql, MetaRow, 'SELECT value FROM meta WHERE key = ?', key)?.value ?? null;
}

/** Upserts one meta value; returns the rows written. */
export function writeMeta(sql: SqlStorage, key: string, value: string): number {
  return write(
    sql,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    key,
    value,
  );
}

/** Parses a JSON column with its schema; a corrupt row is an error that names its table. */
export function jsonColumn<T extends z.ZodType>(schema: T, raw: string, where: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new Error(`corrupt JSON in ${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return schema.parse(value) as z.infer<T>;
}
