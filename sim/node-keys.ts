/**
 * The simulator plays every node of every store, so unlike a real agent it is handed the master
 * WEBHOOK_SECRET and derives each node's own action keys from it (contract v2, section 4), exactly
 * as `npm run keys` would hand them out. Derived once per node and kept: the edge probes thousands
 * of nodes a minute in the benchmark.
 */
import { deriveKeys, masterValues } from '#shared/keys.ts';

export type NodeKeys = (store: string, node: string) => Promise<string[]>;

/** `master`: WEBHOOK_SECRET as the worker holds it (comma-separated values while rotated). */
export function nodeKeysFrom(master: string | readonly string[]): NodeKeys {
  const values = typeof master === 'string' ? masterValues(master) : master.map((m) => m.trim()).filter(Boolean);
  if (values.length === 0) throw new Error('the simulator needs WEBHOOK_SECRET to derive its nodes’ keys');
  const joined = values.join(',');
  const cache = new Map<string, Promise<string[]>>();
  return (store, node) => {
    const id = `${store}\n${node}`;
    let keys = cache.get(id);
    if (keys === undefined) {
      keys = deriveKeys(joined, store, node);
      cache.set(id, keys);
    }
    return keys;
  };
}
