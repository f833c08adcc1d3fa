/**
 * Whose report a push may carry (docs/PROTOCOL.md section 4): the principal whose key signed it, and a
 * principal of this store. A node speaks only for itself; the arbiter only as the arbiter.
 */
import { ARBITER_PRINCIPAL } from '#shared/keys.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import type { AgentReport } from '#shared/schemas/report.ts';

/** Why the report is refused, or null when `principal` may push it. */
export function pushRefusal(store: StoreConfig, report: AgentReport, principal: string): string | null {
  if (principal === ARBITER_PRINCIPAL) {
    if (!store.arbiter) return `store ${store.id} has no arbiter in its config`;
    if (report.role !== 'arbiter') return `the arbiter's key signed a report with role "${report.role}", not "arbiter"`;
    return null;
  }
  if (report.role === 'arbiter')
    return `a report with role "arbiter" must be signed with the arbiter's key, not ${principal}'s`;
  if (!store.nodes.some((n) => n.id === report.node)) return `node "${report.node}" is not a node of store ${store.id}`;
  if (report.node !== principal)
    return `node ${principal}'s key signed a report for "${report.node}": a node pushes only its own`;
  return null;
}
