/**
 * What applying a config would change, store by store, in the terms the worker itself uses
 * (shared/fleet/config-diff.ts decides added/changed/removed); for a changed store, which of its
 * fields or inherited settings differ, so an operator sees "nodes, failover" and not just "changed".
 */
import { diffConfigs } from '#shared/fleet/config-diff.ts';
import { monitorConfigFor } from '#shared/fleet/monitor-config.ts';
import type { FleetConfig } from '#shared/schemas/config.ts';

export interface ConfigChanges {
  added: string[];
  changed: Array<{ id: string; fields: string[] }>;
  removed: string[];
  /** Fleet-wide sections that differ (some reach no store, e.g. a dead-man URL). */
  fleet: string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => !same(a[k], b[k]));
}

export function configChanges(before: FleetConfig | null, after: FleetConfig): ConfigChanges {
  const diff = diffConfigs(before, after);
  const changed = diff.changed.map((id) => {
    const old = before?.stores.find((s) => s.id === id);
    const now = after.stores.find((s) => s.id === id);
    if (!before || !old || !now) return { id, fields: [] };
    const a = monitorConfigFor(before, old) as unknown as Record<string, unknown>;
    const b = monitorConfigFor(after, now) as unknown as Record<string, unknown>;
    const own = differingKeys(old as Record<string, unknown>, now as Record<string, unknown>);
    const inherited = differingKeys(a, b).filter((k) => k !== 'store' && !own.includes(k));
    return { id, fields: [...own, ...inherited] };
  });
  const sections = ['defaults', 'alerts', 'maintenance', 'deadMan'] as const;
  const fleet = before ? sections.filter((k) => !same(before[k], after[k])) : [];
  return { added: diff.added, changed, removed: diff.removed, fleet };
}

export const hasChanges = (c: ConfigChanges) =>
  c.added.length + c.changed.length + c.removed.length + c.fleet.length > 0;
