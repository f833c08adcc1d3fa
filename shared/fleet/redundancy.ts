/**
 * "Redundancy restored" on the public page (issue 15): a store that failed over runs on one node
 * until its old primary is rebuilt as a standby; once it is, and the store is healthy again, the page
 * says so for a day. Only that time leaves the status: no node, epoch or reason.
 */
import type { StoreStatus } from '../schemas/status.ts';

/** How long the public page keeps saying it after the reinstatement. */
export const REDUNDANCY_NOTE_MS = 24 * 3600 * 1000;

export function redundancyRestoredAt(status: StoreStatus | undefined, now: number): string | null {
  const f = status?.lastFailover;
  if (status?.status !== 'healthy' || f?.state !== 'completed' || !f.reinstatedAt) return null;
  // A time ahead of `now` is the monitor's clock running ahead of the Fleet's: still news.
  return now - Date.parse(f.reinstatedAt) < REDUNDANCY_NOTE_MS ? f.reinstatedAt : null;
}
