/**
 * The Fleet's incident notes: public updates operators post on an incident, kept with the Fleet
 * (incidents themselves are recomputed by each monitor and have no row). Kept as long as the audit
 * log; older notes are pruned when one is written.
 */
import { z } from 'zod';
import { IncidentNote, type IncidentNoteRequest } from '#shared/schemas/incident-notes.ts';
import { allRows, firstRow, jsonColumn, write } from '../storage/sql.ts';
import { AUDIT_KEEP_MS } from './audit-log.ts';

const Row = z.object({ id: z.number(), incident: z.string(), at: z.number(), json: z.string() });
const Stored = z.strictObject({ text: z.string(), state: IncidentNote.shape.state });

export class IncidentNotes {
  constructor(private readonly sql: SqlStorage) {}

  add(incident: string, store: string, note: IncidentNoteRequest, now: number): IncidentNote {
    const stored = Stored.parse({ text: note.text, state: note.state ?? null });
    write(this.sql, 'DELETE FROM incident_notes WHERE at < ?', now - AUDIT_KEEP_MS);
    const row = firstRow(
      this.sql,
      z.object({ id: z.number() }),
      'INSERT INTO incident_notes (incident, store, at, json) VALUES (?, ?, ?, ?) RETURNING id',
      incident,
      store,
      now,
      JSON.stringify(stored),
    );
    if (!row) throw new Error(`incident note on ${incident}: the insert returned no id`);
    return { id: String(row.id), incident, at: new Date(now).toISOString(), ...stored };
  }

  /** Every note written since `since` (ms), oldest first, by incident. */
  since(since: number): Map<string, IncidentNote[]> {
    const byIncident = new Map<string, IncidentNote[]>();
    const rows = allRows(
      this.sql,
      Row,
      'SELECT id, incident, at, json FROM incident_notes WHERE at >= ? ORDER BY id',
      since,
    );
    for (const r of rows) {
      const note: IncidentNote = {
        id: String(r.id),
        incident: r.incident,
        at: new Date(r.at).toISOString(),
        ...jsonColumn(Stored, r.json, `note ${r.id}`),
      };
      byIncident.set(r.incident, [...(byIncident.get(r.incident) ?? []), note]);
    }
    return byIncident;
  }

  /** A removed store's notes go with it. */
  forget(store: string): void {
    write(this.sql, 'DELETE FROM incident_notes WHERE store = ?', store);
  }
}
