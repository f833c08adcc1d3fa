/**
 * What a StoreMonitor hands its Fleet, applied as `shared/monitor/reporting.ts` decides: the status
 * summary (on a significant change, or every REFRESH_MS for the live figures) and the public
 * history (only when it differs from the last one sent). A send that fails is sent again later.
 */
import { historyKey, shouldReportStatus } from '#shared/monitor/reporting.ts';
import type { PublicHistory } from '#shared/schemas/api.ts';
import type { StoreStatus } from '#shared/schemas/status.ts';
import { fleetStub } from '../fleet/stub.ts';
import type { Warm } from './monitor-state.ts';

export interface ReportTarget {
  env: Env;
  fleet: string;
  warm: Warm;
  waitUntil(promise: Promise<unknown>): void;
}

export function reportStatus(to: ReportTarget, view: StoreStatus, key: string, now: number): void {
  const { warm } = to;
  const significant = key !== warm.last?.key;
  warm.last = { status: view, key };
  if (!shouldReportStatus({ significant, lastSentAt: warm.lastSentAt, now })) return;
  warm.lastSentAt = now;
  to.waitUntil(
    fleetStub(to.env, to.fleet)
      .reportStatus(view, significant)
      .then(
        () => undefined,
        (err: unknown) => {
          // The next round (or the one-minute refresh) sends it again; say where it failed.
          console.error(`store ${view.id}: could not report its status to fleet ${to.fleet}:`, err);
          if (significant && warm.last) warm.last = { ...warm.last, key: '' };
        },
      ),
  );
}

export function reportHistory(to: ReportTarget, storeId: string, history: PublicHistory): void {
  const { warm } = to;
  const key = historyKey(history);
  if (key === warm.lastHistory) return;
  warm.lastHistory = key;
  to.waitUntil(
    fleetStub(to.env, to.fleet)
      .reportHistory(storeId, history)
      .then(
        () => undefined,
        (err: unknown) => {
          warm.lastHistory = '';
          console.error(`store ${storeId}: could not report its public history:`, err);
        },
      ),
  );
}
