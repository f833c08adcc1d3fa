/**
 * The Fleet's audit log: who changed the config, asked for or confirmed a failover, opened or
 * ended maintenance, adopted an epoch, and how it went. Kept at least AUDIT_KEEP_MS; older rows are
 * pruned when a new one is written (a few rows a day, so the prune is cheap).
 */
import { z } from 'zod';
import { AuditEntry, AuditInput, type AuditPage } from '#shared/schemas/audit.ts';
import { allRows, jsonColumn, write } from '../storage/sql.ts';

export const AUDIT_KEEP_MS = 400 * 86_400_000;

const Row = z.object({ id: z.number(), at: z.number(), json: z.string() });

export class AuditLog {
  constructor(private readonly sql: SqlStorage) {}

  append(input: AuditInput, now: number): void {
    const entry = AuditInput.parse(input);
    write(this.sql, 'DELETE FROM audit WHERE at < ?', now - AUDIT_KEEP_MS);
    write(this.sql, 'INSERT INTO audit (at, json) VALUES (?, ?)', now, JSON.stringify(entry));
  }

  /** Newest first; `cursor` is the `next` of the previous page. */
  page(limit: number, cursor: number | null): AuditPage {
    const rows = allRows(
      this.sql,
      Row,
      'SELECT id, at, json FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?',
      cursor ?? Number.MAX_SAFE_INTEGER,
      limit + 1,
    );
    const entries = rows.slice(0, limit).map((r) =>
      AuditEntry.parse({
        ...jsonColumn(AuditInput, r.json, 'audit entry'),
        id: String(r.id),
        at: new Date(r.at).toISOString(),
      }),
    );
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { entries, next: last ? String(last.id) : null };
  }
}
