/** How a status ranks for people: tone and severity order (its words are in ui-catalog.ts, `word.*`; a failover's states, page-catalog.ts `fstate.*`). */
import type { StoreStatusName } from './wire.ts';

export type Tone = 'red' | 'amber' | 'blue' | 'green' | 'grey' | 'neutral';

export const STATUS_TONE: Record<StoreStatusName, Tone> = {
  primary_down: 'red',
  split_brain: 'red',
  store_unreachable: 'red',
  degraded: 'amber',
  awaiting_confirm: 'amber',
  failing_over: 'blue',
  healthy: 'green',
  maintenance: 'neutral',
  unknown: 'grey',
};

/** Worst first: what an operator should look at before anything else. */
const SEVERITY: Record<StoreStatusName, number> = {
  split_brain: 0,
  primary_down: 1,
  store_unreachable: 2,
  awaiting_confirm: 3,
  degraded: 4,
  failing_over: 5,
  unknown: 6,
  maintenance: 7,
  healthy: 8,
};

export function isRed(status: StoreStatusName): boolean {
  return STATUS_TONE[status] === 'red';
}

/** Red, amber and blue stores need someone's attention; healthy, maintenance and unknown do not. */
export function needsAttention(status: StoreStatusName): boolean {
  const tone = STATUS_TONE[status];
  return tone === 'red' || tone === 'amber' || tone === 'blue';
}

export function bySeverity<T extends { status: StoreStatusName; name: string }>(a: T, b: T): number {
  return SEVERITY[a.status] - SEVERITY[b.status] || a.name.localeCompare(b.name);
}
