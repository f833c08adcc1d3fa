/**
 * An incident's id: its store, kind and start second (`gz-tianhe.outage.20261121T020306Z`). The
 * public timeline is recomputed from the status log on every report, so an incident has no row of
 * its own; what identifies it is what the public already sees. Stable for as long as it is listed.
 */
import type { PublicIncident } from './schemas/api.ts';

export const INCIDENT_ID_PATTERN =
  /^([a-z0-9][a-z0-9-]{0,63})\.(outage|degraded|failover|maintenance)\.(\d{8}T\d{6}Z)$/;

export function incidentId(store: string, incident: Pick<PublicIncident, 'kind' | 'start'>): string {
  const compact = incident.start.slice(0, 19).replaceAll('-', '').replaceAll(':', '');
  return `${store}.${incident.kind}.${compact}Z`;
}

/** The store an incident id names, or null when it is not an incident id. */
export function incidentStore(id: string): string | null {
  return INCIDENT_ID_PATTERN.exec(id)?.[1] ?? null;
}
