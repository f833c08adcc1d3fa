/**
 * The public page's data, projected from the config's public stores only: names, regions,
 * statuses and each store's public history. Nothing else can reach the page, whatever a status or
 * the config holds (URLs, hosts, reasons), because only these fields are copied.
 */
import { incidentId } from '../incident-id.ts';
import type { PublicHistory, PublicStatus, Uptime } from '../schemas/api.ts';
import type { FleetConfig } from '../schemas/config.ts';
import type { IncidentNote } from '../schemas/incident-notes.ts';
import type { StoreStatus } from '../schemas/status.ts';

export interface PublicPage {
  status: PublicStatus;
  history: Record<string, Omit<PublicHistory, 'uptime'>>;
  /** Operators' public notes, by incident id, for the incidents listed in `history` only. */
  notes: Record<string, IncidentNote[]>;
}

const NO_UPTIME: Uptime = { '24h': null, '7d': null, '30d': null, '90d': null };

export function publicPage(
  config: FleetConfig | null,
  statuses: ReadonlyMap<string, StoreStatus>,
  histories: ReadonlyMap<string, PublicHistory>,
  now: number,
  notes: ReadonlyMap<string, IncidentNote[]> = new Map(),
): PublicPage {
  const stores = (config?.stores ?? []).filter((s) => s.public);
  const history: PublicPage['history'] = {};
  const shownNotes: PublicPage['notes'] = {};
  for (const s of stores) {
    const h = histories.get(s.id);
    history[s.id] = { days: h?.days ?? [], incidents: h?.incidents ?? [], planned: h?.planned ?? null };
    for (const incident of h?.incidents ?? []) {
      const id = incidentId(s.id, incident);
      const list = notes.get(id);
      if (list) shownNotes[id] = list;
    }
  }
  return {
    status: {
      generatedAt: new Date(now).toISOString(),
      stores: stores.map((s) => {
        const status = statuses.get(s.id);
        const h = histories.get(s.id);
        return {
          id: s.id,
          name: s.name,
          region: s.region ?? null,
          status: status?.status ?? 'unknown',
          since: status?.since ?? new Date(now).toISOString(),
          uptime: h?.uptime ?? NO_UPTIME,
          nextMaintenance: h?.planned ?? null,
          monitoringSince: h?.monitoringSince ?? null,
        };
      }),
    },
    history,
    notes: shownNotes,
  };
}

/** A store's status before its monitor's first report. */
export function placeholderStatus(
  store: { id: string; name: string; region?: string | undefined },
  now: number,
): StoreStatus {
  return {
    id: store.id,
    name: store.name,
    region: store.region ?? null,
    status: 'unknown',
    since: new Date(now).toISOString(),
    primary: null,
    epoch: 0,
    lagSeconds: null,
    nodes: [],
    arbiter: null,
    reasons: ['waiting for the first probe round'],
    lastFailover: null,
    checkedAt: null,
  };
}
