/**
 * The status a store shows once what the probes and the failover machine say meets what runs on
 * a clock: a maintenance window turns it into `maintenance` (planned work must not look like a
 * disaster), and late jobs or resource warnings make a healthy store `degraded`, with the reason.
 * A failover under way, a confirmation awaited or a split brain show through a window: each needs
 * someone now.
 */
import type { StoreStatusView } from './failover/status.ts';
import { iso } from './iso-time.ts';
import type { ActiveWindow } from './schedules/maintenance.ts';
import type { StoreStatusName } from './schemas/status.ts';

const SHOWS_THROUGH: StoreStatusName[] = ['failing_over', 'awaiting_confirm', 'split_brain'];

export function overlayStatus(base: StoreStatusView, window: ActiveWindow | null, warnings: string[]): StoreStatusView {
  if (window && !SHOWS_THROUGH.includes(base.status)) {
    const until = iso(window.end);
    return {
      status: 'maintenance',
      reasons: [
        `maintenance window "${window.id}" (${window.reason}) until ${until}: automatic failover and alerts are held`,
        ...base.reasons,
        ...warnings,
      ],
    };
  }
  if (base.status === 'healthy' && warnings.length > 0) return { status: 'degraded', reasons: warnings };
  return { status: base.status, reasons: [...base.reasons, ...warnings] };
}
