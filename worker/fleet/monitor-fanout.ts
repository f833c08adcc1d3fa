/**
 * The Fleet's calls out to store monitors: give each its config (and an alarm), stop removed ones.
 * A monitor that cannot be reached is reported, logged and left to the watchdog cron: removals are
 * queued in `pending_removals` first and dequeued only once the monitor confirmed.
 */
import { z } from 'zod';
import { monitorConfigFor } from '#shared/fleet/monitor-config.ts';
import type { FleetConfig } from '#shared/schemas/config.ts';
import { monitorStub } from '../monitor/stub.ts';
import { allRows, write } from '../storage/sql.ts';

export async function ensureMonitors(env: Env, fleet: string, config: FleetConfig, ids: string[]) {
  const rearmed: string[] = [];
  const failed: string[] = [];
  const byId = new Map(config.stores.map((s) => [s.id, s]));
  await Promise.all(
    ids.map(async (id) => {
      const store = byId.get(id);
      if (!store) return;
      try {
        if (await monitorStub(env, id).ensure(monitorConfigFor(config, store), fleet)) rearmed.push(id);
      } catch (err) {
        failed.push(id);
        console.error(`fleet ${fleet}: could not configure the monitor of store ${id} (retried by cron):`, err);
      }
    }),
  );
  return { rearmed, failed };
}

export function queueRemovals(sql: SqlStorage, ids: string[]): void {
  for (const id of ids) write(sql, 'INSERT OR REPLACE INTO pending_removals (store_id) VALUES (?)', id);
}

export function pendingRemovals(sql: SqlStorage): string[] {
  return allRows(sql, z.object({ store_id: z.string() }), 'SELECT store_id FROM pending_removals').map(
    (r) => r.store_id,
  );
}

export async function removeMonitors(env: Env, fleet: string, sql: SqlStorage, ids: string[]) {
  const failed: string[] = [];
  await Promise.all(
    ids.map(async (id) => {
      try {
        await monitorStub(env, id).remove();
        write(sql, 'DELETE FROM pending_removals WHERE store_id = ?', id);
      } catch (err) {
        failed.push(id);
        console.error(`fleet ${fleet}: could not stop the monitor of removed store ${id} (retried by cron):`, err);
      }
    }),
  );
  return { failed };
}
