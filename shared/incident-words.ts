/**
 * Every English word of the incident notes and the incident feed, in one place, so a translation
 * (issue 18) has one table to follow.
 */
import type { NoteState } from './schemas/incident-notes.ts';

export const INCIDENT_WORDS = {
  state: {
    investigating: 'Investigating',
    identified: 'Identified',
    monitoring: 'Monitoring',
    resolved: 'Resolved',
  } satisfies Record<NoteState, string>,
  /** A note posted without a state. */
  update: 'Update',
  feedTitle: 'Store status: incidents',
  feedRegionTitle: (region: string) => `Store status: incidents in ${region}`,
  started: 'Started',
  ended: 'Ended',
  ongoing: 'Ongoing',
  author: 'Store status',
} as const;
