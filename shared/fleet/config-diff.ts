/**
 * Which stores a new fleet config adds, changes and removes. "Changed" means the store's monitor
 * would be given something different (its own entry, the defaults merged in, its alert routes or
 * maintenance windows), so a change to one store's routing reaches exactly the monitors it touches.
 */
import type { AuditInput } from '../schemas/audit.ts';
import type { FleetConfig } from '../schemas/config.ts';
import { monitorConfigFor } from './monitor-config.ts';

export interface ConfigDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffConfigs(before: FleetConfig | null, after: FleetConfig): ConfigDiff {
  const old = new Map((before?.stores ?? []).map((s) => [s.id, JSON.stringify(monitorConfigFor(before ?? after, s))]));
  const wanted = new Set(after.stores.map((s) => s.id));
  const diff: ConfigDiff = { added: [], changed: [], removed: [...old.keys()].filter((id) => !wanted.has(id)) };
  for (const store of after.stores) {
    const prev = old.get(store.id);
    if (prev === undefined) diff.added.push(store.id);
    else if (prev !== JSON.stringify(monitorConfigFor(after, store))) diff.changed.push(store.id);
  }
  return diff;
}

/** The audit entry of a config change: who, how many stores, and which were added, changed, removed. */
export function configChangeAudit(diff: ConfigDiff, stores: number, who: string): AuditInput {
  const { added, changed, removed } = diff;
  return {
    who,
    action: 'config.change',
    store: null,
    what: `config with ${stores} store(s): ${added.length} added, ${changed.length} changed, ${removed.length} removed`,
    outcome: 'done',
    change: { added, changed, removed },
  };
}
