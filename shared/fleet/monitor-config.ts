/**
 * What one StoreMonitor is given: its store with the defaults merged in, the alert channels routed
 * to it and the maintenance windows that cover it.
 */
import { channelsFor, covers } from '../alerts/routing.ts';
import { defaultLeaseSeconds } from '../lease/lease-config.ts';
import type { FleetConfig, MonitorConfig, StoreConfig } from '../schemas/config.ts';
import type { MaintenanceWindow, StoreWindow } from '../schemas/schedules.ts';

export function windowsFor(windows: MaintenanceWindow[] | undefined, store: StoreConfig): StoreWindow[] {
  return (windows ?? [])
    .filter((w) => covers(w, store))
    .map((w) => ({
      id: w.id,
      reason: w.reason,
      ...(w.start !== undefined && w.end !== undefined ? { start: Date.parse(w.start), end: Date.parse(w.end) } : {}),
      ...(w.cron !== undefined ? { cron: w.cron, durationMinutes: w.durationMinutes } : {}),
    }));
}

export function monitorConfigFor(fleet: FleetConfig, store: StoreConfig): MonitorConfig {
  const failover = { ...fleet.defaults.failover, ...store.failover };
  return {
    store,
    intervalSeconds: fleet.defaults.intervalSeconds,
    timeoutMs: fleet.defaults.timeoutMs,
    // The lease in force is resolved here, from the merged threshold: the monitor reads it as given.
    failover: {
      ...failover,
      leaseSeconds: failover.leaseSeconds ?? defaultLeaseSeconds(failover.thresholdSeconds),
      selfFence: failover.selfFence ?? true,
    },
    resources: { ...fleet.defaults.resources, ...store.resources },
    alerts: {
      channels: channelsFor(fleet.alerts, store),
      reminderMinutes: fleet.alerts?.reminderMinutes ?? 60,
      flapSeconds: fleet.alerts?.flapSeconds ?? 60,
    },
    maintenance: windowsFor(fleet.maintenance, store),
  };
}
