/**
 * Runs the primary's self-fence decision (`#shared/lease/self-fence.ts`, contract section 6) on a
 * timer and applies it: it keeps the last lease that verified, asks the host to poll its standbys'
 * replies every `pollMs`, runs `decideSelfFence` after each poll and again at the decision's
 * `checkAt` (never only when a probe comes), and carries out `fence` / `lift` through the host.
 * Every time here is the agent's monotonic clock (`performance.now()`), never the wall clock.
 *
 * What it adds to the pure decision, and why:
 * - A lease replayed (the same timestamp and signature as one taken, or an older timestamp than the
 *   newest taken) is ignored: a captured lease must not renew a primary a second time.
 * - `leaseSeconds` (how long a standby reply holds the primary) is the smaller of the configured
 *   value and the `seconds` of the newest lease taken: the monitor's promote gate assumes the
 *   store's L, so the agent never lets a reply count for longer than that.
 * - A `fence` after the agent starts waits until its polls span `startupGraceMs` (2 s by default,
 *   more than a standby's `wal_receiver_status_interval`): a reply can only be dated between two
 *   polls, so before that a streaming standby is not yet seen. The database took writes unwatched
 *   while the agent was down; two more seconds do not change that, and they spare a store a needless
 *   fence at every agent restart.
 * - The self-fence itself lives in the node's durable state (the host's), so `selfFencedAt` is
 *   derived from it: after a restart a self-fenced node stays fenced until a lease at its epoch
 *   received after the restart.
 */

import { SELF_FENCE_APPLY_MS } from '#shared/lease/drift.ts';
import { decideSelfFence, keepLease, type ReceivedLease, type SelfFenceDecision } from '#shared/lease/self-fence.ts';
import { describeError } from '../describe-error.ts';
import type { VerifiedLease } from './lease-header.ts';

export interface FenceView {
  role: 'primary' | 'standby' | 'unknown';
  epoch: number;
  /** Fenced at all (by the monitor or by itself). */
  fenced: boolean;
  /** The fence is this agent's own (a monitor's fence is `fenced && !selfFenced`). */
  selfFenced: boolean;
}

export interface SelfFenceHost {
  /** The node's durable state now: the epoch it follows and its fence (role comes from `observe`). */
  current(): Pick<FenceView, 'epoch' | 'fenced' | 'selfFenced'>;
  /**
   * One look at the node with a fresh poll of its standbys' replies; `standbyReplyAt` is when the
   * freshest reply was received (monotonic ms, the `self-fence.ts` rule), null when none is known.
   * Null when the database does not answer: nothing is decided then.
   */
  observe(now: number): Promise<{ view: FenceView; standbyReplyAt: number | null } | null>;
  /** Fence exactly as a `fence` action does, durably marked as a self-fence; a no-op on a fenced node. */
  fenceSelf(reason: string): Promise<void>;
  /** Undo a self-fence; a no-op unless the node's fence is its own. */
  liftSelfFence(reason: string): Promise<void>;
}

export interface SelfFenceKeeperOptions {
  host: SelfFenceHost;
  /** False (the store's `failover.selfFence: false`): never fence itself, and lift a self-fence it holds. */
  enabled: boolean;
  /** The store's `failover.leaseSeconds` (or lower): how long a standby reply holds the primary. */
  leaseSeconds: number;
  /** How often the standbys' replies are polled, ms. */
  pollMs: number;
  /** How long polls must have run before a first `fence` (default 2000 ms). */
  startupGraceMs?: number;
  monoNow?: () => number;
  log?: (line: string) => void;
}

/** What the agent adds to its report about its lease. */
export interface LeaseReport {
  epoch: number;
  /** Seconds the lease still holds the primary (0 once run out). */
  remainingSeconds: number;
}

export class SelfFenceKeeper {
  readonly #o: SelfFenceKeeperOptions;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  #lease: ReceivedLease | null = null;
  #newestTaken: { timestamp: number; signature: string; seconds: number } | null = null;
  #firstPollAt: number | null = null;
  #selfFencedAt: number | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<SelfFenceDecision | null> | null = null;
  #again = false;
  #stopped = true;
  #last: { view: FenceView; standbyReplyAt: number | null } | null = null;

  constructor(options: SelfFenceKeeperOptions) {
    this.#o = options;
    this.#now = options.monoNow ?? (() => performance.now());
    this.#log = options.log ?? ((line) => console.log(`[self-fence] ${line}`));
  }

  /** Takes a verified lease, received now; true when it was kept. A kept lease triggers a decision at once. */
  takeLease(lease: VerifiedLease, source: string): boolean {
    const newest = this.#newestTaken;
    if (newest !== null) {
      if (lease.timestamp < newest.timestamp) {
        this.#log(
          `lease from ${source} ignored: signed at ${lease.timestamp}, before the newest taken (${newest.timestamp})`,
        );
        return false;
      }
      if (lease.timestamp === newest.timestamp && lease.signature === newest.signature) {
        this.#log(`lease from ${source} ignored: already taken (a replay renews nothing)`);
        return false;
      }
    }
    this.#newestTaken = { timestamp: lease.timestamp, signature: lease.signature, seconds: lease.seconds };
    const { epoch } = this.#o.host.current();
    const incoming: ReceivedLease = { epoch: lease.epoch, seconds: lease.seconds, receivedAt: this.#now() };
    this.#lease = keepLease(this.#lease, incoming, epoch);
    if (lease.epoch !== epoch) {
      this.#log(`lease from ${source} at epoch ${lease.epoch} ignored: this node follows epoch ${epoch}`);
      return false;
    }
    this.#soon();
    return true;
  }

  /** A promotion the agent carried out counts as a lease at its new epoch, received when it was applied. */
  notePromoted(epoch: number): void {
    const seconds = this.#leaseSeconds();
    this.#lease = keepLease(this.#lease, { epoch, seconds, receivedAt: this.#now() }, epoch);
  }

  /** The lease at `epoch` this agent holds, for its report; null when it holds none. */
  leaseReport(epoch: number): LeaseReport | null {
    const lease = this.#lease;
    if (lease === null || lease.epoch !== epoch) return null;
    const left = lease.receivedAt + lease.seconds * 1000 - this.#now();
    return { epoch, remainingSeconds: Math.max(0, Math.floor(left / 100) / 10) };
  }

  start(): void {
    this.#stopped = false;
    this.#soon();
  }

  /** No decision starts after this; one under way is awaited. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /**
   * One poll and decision now (also what the timer runs); resolves with the decision taken, or null
   * when nothing was decided (a standby, the database down, the startup poll). Never rejects.
   */
  tick(): Promise<SelfFenceDecision | null> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = this.#decide()
      .catch((error: unknown) => {
        this.#log(`self-fence check failed: ${describeError(error)}`);
        return null;
      })
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.#soon();
        }
      });
    this.#running = run;
    return run;
  }

  #leaseSeconds(): number {
    const fromLease = this.#newestTaken?.seconds;
    return fromLease === undefined ? this.#o.leaseSeconds : Math.min(this.#o.leaseSeconds, fromLease);
  }

  #soon(): void {
    this.#schedule(this.#now());
  }

  #schedule(at: number): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        void this.tick();
      },
      Math.max(0, Math.ceil(at - this.#now())),
    );
    this.#timer.unref();
  }

  async #decide(): Promise<SelfFenceDecision | null> {
    const started = this.#now();
    let next = started + this.#o.pollMs;
    try {
      // What is known already may say `fence` (the timer at `checkAt`): act on it before a poll,
      // which can take up to the query timeout, delays the fence past its apply bound.
      const known = this.#last;
      if (known !== null && known.view.role === 'primary' && this.#pastGrace()) {
        const view: FenceView = { role: known.view.role, ...this.#o.host.current() };
        const early = this.#decision(view, known.standbyReplyAt);
        if (early.action === 'fence') return await this.#apply(early, view);
      }
      const seen = await this.#o.host.observe(started);
      if (seen === null) return null;
      this.#firstPollAt ??= started;
      this.#last = seen;
      if (seen.view.role !== 'primary') {
        this.#selfFencedAt = null;
        return null;
      }
      const decision = this.#decision(seen.view, seen.standbyReplyAt);
      if (decision.action === 'fence' && !this.#pastGrace()) return null;
      if (decision.action === 'writable' && decision.checkAt !== null) next = Math.min(next, decision.checkAt);
      return await this.#apply(decision, seen.view);
    } finally {
      this.#schedule(next);
    }
  }

  #pastGrace(): boolean {
    const first = this.#firstPollAt;
    return first !== null && this.#now() - first >= (this.#o.startupGraceMs ?? 2000);
  }

  #decision(view: FenceView, standbyReplyAt: number | null): SelfFenceDecision {
    const now = this.#now();
    if (!(view.fenced && view.selfFenced)) this.#selfFencedAt = null;
    else this.#selfFencedAt ??= now;
    return decideSelfFence({
      now,
      epoch: view.epoch,
      enabled: this.#o.enabled,
      leaseSeconds: this.#leaseSeconds(),
      lease: this.#lease,
      standbyReplyAt,
      fencedByMonitor: view.fenced && !view.selfFenced,
      selfFencedAt: this.#selfFencedAt,
    });
  }

  async #apply(decision: SelfFenceDecision, view: FenceView): Promise<SelfFenceDecision> {
    if (decision.action === 'fence') {
      const at = this.#now();
      this.#log(`self-fence at epoch ${view.epoch}: ${decision.reason}`);
      await this.#o.host.fenceSelf(decision.reason);
      this.#selfFencedAt = at;
      this.#last = this.#last && { ...this.#last, view: { ...view, fenced: true, selfFenced: true } };
      const took = this.#now() - at;
      if (took > SELF_FENCE_APPLY_MS) {
        this.#log(
          `self-fence took ${Math.round(took)} ms to apply, more than the ${SELF_FENCE_APPLY_MS} ms the monitor allows`,
        );
      }
    } else if (decision.action === 'lift') {
      this.#log(`self-fence lifted at epoch ${view.epoch}: ${decision.reason}`);
      await this.#o.host.liftSelfFence(decision.reason);
      this.#selfFencedAt = null;
      this.#last = this.#last && { ...this.#last, view: { ...view, fenced: false, selfFenced: false } };
    }
    return decision;
  }
}
