/**
 * The public page's view of one store (uptime, 90 days, incidents in public words, planned
 * windows), as the monitor sends it to the Fleet.
 */

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
  const { uptime, days } = from.history.publicDays(now, flush(rollup));
  const incidents = publicIncidents(from.history.statusChanges(now - INCIDENT_WINDOW_MS), from.failover.failovers(20));
  return { uptime, days, incidents, planned: from.duties.publicPlanned(config, now) };
}
