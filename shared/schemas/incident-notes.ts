/**
 * Public notes on incidents: what an operator tells the people a store serves ("we are on it",
 * "fixed"), shown on the status page and in the incident feed. Only the text and state written for
 * the public are ever shown; who wrote it is in the audit log.
 */
import { z } from 'zod';
import { Iso } from './common.ts';

/** The states status pages conventionally give an incident's updates. */
export const NOTE_STATES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export const NoteState = z.enum(NOTE_STATES);
export type NoteState = z.infer<typeof NoteState>;

export const IncidentNoteRequest = z.strictObject({
  text: z.string().trim().min(1, 'text is required').max(2000, 'text is at most 2000 characters'),
  state: NoteState.optional(),
});
export type IncidentNoteRequest = z.infer<typeof IncidentNoteRequest>;

export const IncidentNote = z.strictObject({
  id: z.string(),
  /** The incident's id (shared/incident-id.ts). */
  incident: z.string(),
  at: Iso,
  text: z.string(),
  state: NoteState.nullable(),
});
export type IncidentNote = z.infer<typeof IncidentNote>;

export const PUBLIC_INCIDENT_KINDS = ['outage', 'degraded', 'failover', 'maintenance'] as const;

/** An incident as the API lists it for operators: its id to post notes on, and the notes so far. */
export const ListedIncident = z.object({
  id: z.string(),
  store: z.string(),
  kind: z.enum(PUBLIC_INCIDENT_KINDS),
  title: z.string(),
  start: z.string(),
  end: z.string().nullable(),
  notes: z.array(IncidentNote),
});
export type ListedIncident = z.infer<typeof ListedIncident>;
