/**
 * An operator adopts an epoch the monitor did not issue (docs/PROTOCOL.md section 5): the store's epoch
 * is the monitor's to raise, so a node reporting a higher one is shown, never followed, until a
 * person checks the cluster and says so. The one way down is an epoch regression: every node reports
 * below the store's epoch (a rebuilt cluster, a restarted simulator), and re-baselining to what they
 * report is the way out.
 */

export interface AdoptionInput {
  /** The store's epoch now. */
  storeEpoch: number;
  /** The epoch each node reports (fresh reports only; null when a node reports nothing). */
  reported: Array<{ node: string; epoch: number | null }>;
  /** Every node reports an epoch below the store's. */
  regression: boolean;
  /** The failover machine is carrying out a failover: its epoch is fixed until it ends. */
  failoverInProgress: string | null;
  requested: number;
}

export type Adoption = { ok: true; epoch: number } | { ok: false; reasons: string[] };

export function decideAdoption(input: AdoptionInput): Adoption {
  const { storeEpoch, requested } = input;
  const reasons: string[] = [];
  if (input.failoverInProgress) reasons.push(`${input.failoverInProgress}: adopt an epoch once it has ended`);
  const by = input.reported.filter((r) => r.epoch === requested).map((r) => r.node);
  if (by.length === 0) {
    const seen = input.reported.map((r) => `${r.node} ${r.epoch === null ? 'nothing' : `epoch ${r.epoch}`}`);
    reasons.push(`no node reports epoch ${requested} (reported: ${seen.join(', ') || 'nothing'})`);
  }
  if (requested === storeEpoch) reasons.push(`the store is already at epoch ${storeEpoch}`);
  else if (requested < storeEpoch && !input.regression) {
    reasons.push(
      `epoch ${requested} is below the store's epoch ${storeEpoch}: a lower epoch is adopted only when every node reports below the store's (an epoch regression)`,
    );
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, epoch: requested };
}
