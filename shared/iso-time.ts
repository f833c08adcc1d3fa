/** Times as the wire, the event log and every message write them: ISO 8601, UTC. */
export const iso = (ms: number): string => new Date(ms).toISOString();

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
