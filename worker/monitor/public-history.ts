/**
 * The public page's view of one store (uptime, 90 days, incidents in public words, planned
 * windows, since when it is monitored), as the monitor sends it to the Fleet.
 */

import { iso } from '#shared/iso-time.ts';
import { publicIncidents } from '#shared/public-incidents.ts';
import { flush, type RollupAccumulator } from '#shared/rollup.ts';
import type { PublicHistory } from '#shared/schemas/api.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import type { FailoverRunner } from './failover-runner.ts';
import type { MonitorHistory } from './history.ts';
import type { StoreDuties } from './store-duties.ts';

/** How far back the public incident timeline reaches. */
const INCIDENT_WINDOW_MS = 14 * 24 * 3600 * 1000;

export interface PublicSources {
  history: MonitorHistory;
  failover: FailoverRunner;
  duties: StoreDuties;
}

export function publicHistory(
  from: PublicSources,
  config: MonitorConfig,
  rollup: RollupAccumulator,
  now: number,
): PublicHistory {
  const open = flush(rollup);
  const { uptime, days } = from.history.publicDays(now, open);
  const incidents = publicIncidents(from.history.statusChanges(now - INCIDENT_WINDOW_MS), from.failover.failovers(20));
  const since = from.history.monitoringSince(open);
  return {
    uptime,
    days,
    incidents,
    planned: from.duties.publicPlanned(config, now),
    monitoringSince: since === null ? null : iso(since),
  };
}
