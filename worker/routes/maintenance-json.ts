/** The JSON shape of maintenance windows (times as ISO strings); schemas in shared/schemas/duties-api.ts. */
import { iso } from '#shared/iso-time.ts';
import type { ActiveWindow } from '#shared/schedules/maintenance.ts';
import type { StoreWindow } from '#shared/schemas/schedules.ts';
import type { MaintenanceView } from '../monitor/maintenance.ts';

const isoIfSet = (ms: number | undefined) => (ms === undefined ? undefined : iso(ms));

export function windowJson(w: StoreWindow & { source?: string; by?: string }) {
  return {
    id: w.id,
    reason: w.reason,
    ...(w.start !== undefined ? { start: isoIfSet(w.start), end: isoIfSet(w.end) } : {}),
    ...(w.cron !== undefined ? { cron: w.cron, durationMinutes: w.durationMinutes } : {}),
    ...(w.source ? { source: w.source } : {}),
    ...(w.by ? { by: w.by } : {}),
  };
}

const activeJson = (w: ActiveWindow | null) =>
  w ? { id: w.id, reason: w.reason, start: iso(w.start), end: iso(w.end) } : null;

export function maintenanceJson(view: MaintenanceView | null) {
  if (!view) return { active: null, next: null, windows: [] };
  return { active: activeJson(view.active), next: activeJson(view.next), windows: view.windows.map(windowJson) };
}
