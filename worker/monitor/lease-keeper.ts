/**
 * The monitor's side of leases (contract section 6) for one store: which node it holds as the
 * serving primary, the signed lease on that node's probes and push answers, when it last sent one,
 * and what each standby said about its contact with the primary, folded into the promote gate the
 * failover machine is fed. Every decision is a pure function of `#shared/lease/*`; this keeps the
 * memory they read and signs.
 *
 * Nothing here is stored: after a restart the monitor knows no lease time, so it takes the restart
 * (its first clock reading) as the last lease sent, which is never earlier than a real one, and it
 * starts the standbys' evidence afresh, which keeps the gate shut until every standby reported again.
 */
import type { Classification } from '#shared/classify.ts';
import type { FailoverMachineState, GateVerdict } from '#shared/failover/types.ts';
import { signingKey } from '#shared/keys.ts';
import { type HeldPrimary, heldServingPrimary } from '#shared/lease/held-primary.ts';
import { defaultLeaseSeconds } from '#shared/lease/lease-config.ts';
import { type LeaseGrant, leaseFor } from '#shared/lease/lease-grant.ts';
import { promoteGate } from '#shared/lease/promote-gate.ts';
import { nextStandbyEvidence, pushSentAt, type StandbyEvidence } from '#shared/lease/standby-contact.ts';
import type { ProbeOutcome } from '#shared/observations.ts';
import type { MonitorConfig } from '#shared/schemas/config.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { type HmacKey, hmacKey, SIGNATURE_HEADER, signPayload, TIMESTAMP_HEADER } from '#shared/signature.ts';

export const LEASE_HEADER = 'X-Mirrorwatch-Lease';

/** The lease as it goes in a push answer: `{ epoch, seconds, timestamp, signature }`. */
export interface SignedLease {
  epoch: number;
  seconds: number;
  timestamp: number;
  signature: string;
}

/** `"lease.<S>.<P>.<E>.<L>"`: signed as `"<timestamp>.lease.<S>.<P>.<E>.<L>"` with `key(master, S, P)`. */
export function leasePayload(store: string, node: string, grant: LeaseGrant): string {
  return `lease.${store}.${node}.${grant.epoch}.${grant.seconds}`;
}

export function leaseHeaders(lease: SignedLease): Record<string, string> {
  return {
    [LEASE_HEADER]: `epoch=${lease.epoch}; seconds=${lease.seconds}`,
    [TIMESTAMP_HEADER]: String(lease.timestamp),
    [SIGNATURE_HEADER]: lease.signature,
  };
}

/** The store's lease length: resolved by `monitorConfigFor`, derived here for a config saved before. */
export function leaseSecondsOf(config: MonitorConfig): number {
  return config.failover.leaseSeconds ?? defaultLeaseSeconds(config.failover.thresholdSeconds);
}

const inFailover = (s: FailoverMachineState): s is Extract<FailoverMachineState, { phase: 'fencing' | 'promoting' }> =>
  s.phase === 'fencing' || s.phase === 'promoting';

export class LeaseKeeper {
  /** The node held as serving primary after the last round, or null. */
  held: HeldPrimary | null = null;
  private lastSentAt: number | null = null;
  private inFlight = 0;
  private bootAt: number | null = null;
  /** The primary the standbys' evidence is about, and the evidence per node. */
  private evidenceFor: string | null = null;
  private evidence = new Map<string, StandbyEvidence | null>();
  private readonly keys = new Map<string, Promise<HmacKey | null>>();

  /** The store was removed: forget everything, as after a restart. */
  reset(): void {
    this.held = null;
    this.lastSentAt = null;
    this.inFlight = 0;
    this.bootAt = null; // the next reading counts as the restart
    this.evidenceFor = null;
    this.evidence.clear();
  }

  /** The lease `node` gets now, or null (`leaseFor`: only the held primary, never during a failover). */
  grantFor(node: string, config: MonitorConfig, state: FailoverMachineState): LeaseGrant | null {
    const held = this.held;
    return leaseFor({
      node,
      heldPrimary: held?.node ?? null,
      epoch: held?.epoch ?? 0,
      leaseSeconds: leaseSecondsOf(config),
      selfFence: config.failover.selfFence !== false,
      failoverInFlight: inFailover(state) && state.current.from === held?.node,
    });
  }

  /** Signs a grant with the node's own key (the first master value); null when no secret is set. */
  async sign(
    master: string,
    store: string,
    node: string,
    grant: LeaseGrant,
    nowMs: number,
  ): Promise<SignedLease | null> {
    const key = await this.keyOf(master, store, node);
    if (key === null) return null;
    const timestamp = Math.floor(nowMs / 1000);
    const signature = await signPayload(key, timestamp, leasePayload(store, node, grant));
    return { epoch: grant.epoch, seconds: grant.seconds, timestamp, signature };
  }

  /**
   * The node's signing key, derived and imported once and kept: a lease is signed every round, and
   * deriving (an HMAC) and importing a key each time doubled the crypto of every round. Keyed by the
   * master too, so a rotated secret signs with its new first value at once.
   */
  private keyOf(master: string, store: string, node: string): Promise<HmacKey | null> {
    const id = `${master}\n${store}\n${node}`;
    let key = this.keys.get(id);
    if (key === undefined) {
      // Only the held primary is ever signed for: a handful of entries at most, whatever happens.
      if (this.keys.size >= 4) this.keys.clear();
      key = signingKey(master, store, node).then((hex) => (hex === null ? null : hmacKey(hex)));
      this.keys.set(id, key);
      // A failed import is not kept: the next round tries again.
      key.catch(() => this.keys.delete(id));
    }
    return key;
  }

  /** A leased probe is about to leave: until it settles, the gate counts a lease as sent `now`. */
  leaseLeaving(now: number): void {
    this.noteBoot(now);
    this.inFlight += 1;
  }

  /** A leased probe settled (answered or timed out) at `at`. */
  leaseSettled(at: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.leaseSent(at);
  }

  /** A lease left (or is taken to have left) at `at`. */
  leaseSent(at: number): void {
    this.noteBoot(at);
    this.lastSentAt = Math.max(this.lastSentAt ?? at, at);
  }

  /** The first clock reading of this instance: the restart time the gate falls back on. */
  noteBoot(now: number): void {
    this.bootAt ??= now;
  }

  /**
   * After a round: the node held as serving primary, and every other node's probe folded into its
   * evidence about the classification's primary (reset when that primary changes).
   */
  afterRound(c: Classification, nodes: ReadonlyArray<{ id: string; http: ProbeOutcome }>, sentAt: number): void {
    this.noteBoot(sentAt);
    const primaryProbe = nodes.find((n) => n.id === c.primary)?.http;
    this.held = heldServingPrimary({ classification: c, report: primaryProbe?.ok ? primaryProbe.report : null });
    this.followPrimary(c.primary);
    for (const n of nodes) {
      if (n.id === c.primary) continue;
      const replication = n.http.ok ? (n.http.report?.replication ?? undefined) : null;
      const prev = this.evidence.get(n.id) ?? null;
      this.evidence.set(n.id, nextStandbyEvidence(prev, { sentAt, receivedAt: n.http.at, replication }));
    }
  }

  /** A report a node pushed, received at `now`: a standby's counts as evidence (`pushSentAt`). */
  afterPush(report: AgentReport, now: number, timeoutMs: number): void {
    this.noteBoot(now);
    if (this.evidenceFor === null || report.node === this.evidenceFor) return;
    const prev = this.evidence.get(report.node) ?? null;
    const probe = { sentAt: pushSentAt(now, timeoutMs), receivedAt: now, replication: report.replication ?? undefined };
    this.evidence.set(report.node, nextStandbyEvidence(prev, probe));
  }

  /** The promote gate for the failover in `state` (open when none is in flight or it is a switchover). */
  gate(state: FailoverMachineState, config: MonitorConfig | undefined, now: number): GateVerdict {
    if (state.phase !== 'fencing' || state.fenceFirst || !config || state.current.from === null) {
      return { open: true, reason: 'no failover waits for a lease' };
    }
    this.noteBoot(now);
    const oldPrimary = state.current.from;
    const known = this.evidenceFor === oldPrimary;
    const lastLease = this.inFlight > 0 ? now : (this.lastSentAt ?? this.bootAt ?? now);
    return promoteGate({
      now,
      oldPrimary,
      leaseSeconds: leaseSecondsOf(config),
      timeoutMs: config.timeoutMs,
      selfFence: config.failover.selfFence !== false,
      lastLeaseSentAt: lastLease,
      // The machine opens the gate itself on an accepted fence.
      fenceAcceptedAt: null,
      standbys: config.store.nodes
        .filter((n) => n.id !== oldPrimary)
        .map((n) => ({ node: n.id, evidence: known ? (this.evidence.get(n.id) ?? null) : null })),
    });
  }

  private followPrimary(primary: string | null): void {
    if (primary === this.evidenceFor) return;
    this.evidenceFor = primary;
    this.evidence.clear();
  }
}
