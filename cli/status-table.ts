/** The `status` table (pure): store, status, primary, epoch, lag, since, one row per store. */
import type { StoreStatus, StoreStatusName } from '#shared/schemas/status.ts';
import type { Translate } from './i18n.ts';
import { type Colour, formatTable, paint, shortTime } from './table.ts';

const STATUS_COLOUR: Record<StoreStatusName, Colour | null> = {
  healthy: 'green',
  degraded: 'yellow',
  maintenance: 'yellow',
  awaiting_confirm: 'yellow',
  failing_over: 'yellow',
  primary_down: 'red',
  split_brain: 'red',
  store_unreachable: 'red',
  unknown: 'dim',
};

export function formatLag(seconds: number | null): string {
  if (seconds === null) return '-';
  const tenths = Math.round(seconds * 10) / 10;
  return tenths < 10 ? `${tenths.toFixed(1)} s` : `${Math.round(seconds)} s`;
}

export function statusTable(stores: readonly StoreStatus[], t: Translate, colour: boolean): string {
  const header = ['store', 'status', 'primary', 'epoch', 'lag', 'since'].map((k) => t(`status.${k}` as 'status.store'));
  const rows = [...stores]
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((s) => [
      s.id,
      paint(t(`status.${s.status}`), STATUS_COLOUR[s.status], colour),
      s.primary ?? '-',
      String(s.epoch),
      formatLag(s.lagSeconds),
      shortTime(s.since),
    ]);
  return formatTable(header, rows);
}
