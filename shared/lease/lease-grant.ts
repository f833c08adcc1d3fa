/**
 * Which probe carries a lease (contract section 6): only a probe of the node the monitor holds as
 * the store's serving primary, at the store's epoch, while no failover away from it is in flight
 * and self-fencing is on. The monitor records the send time of every probe this returns a lease for
 * (answered or not) as `lastLeaseSentAt` for the promote gate; the same lease goes in the answer to
 * that primary's push.
 */
export interface LeaseGrantInput {
  /** The node being probed (or pushing). */
  node: string;
  /** The node the monitor holds as serving primary, or null. */
  heldPrimary: string | null;
  epoch: number;
  leaseSeconds: number;
  selfFence: boolean;
  /** A failover away from `heldPrimary` has been decided (fencing or promoting). */
  failoverInFlight: boolean;
}

export interface LeaseGrant {
  epoch: number;
  seconds: number;
}

export function leaseFor(input: LeaseGrantInput): LeaseGrant | null {
  if (!input.selfFence || input.failoverInFlight) return null;
  if (input.heldPrimary === null || input.node !== input.heldPrimary) return null;
  return { epoch: input.epoch, seconds: input.leaseSeconds };
}
