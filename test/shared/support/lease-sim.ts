/**
 * A discrete-event simulation of one store under leases, for the property test: the monitor at the
 * edge, the primary's agent, one standby, the arbiter and the store's clients, each host with its own
 * monotonic clock running at a generated rate, links that can be cut in either direction at
 * generated times, and message delays up to the probe timeout. The decisions are the real pure
 * functions of `shared/lease/` (or mutants of them, through `LeaseHooks`); everything else (probes,
 * the monitor's loss rule, WAL streaming, client writes) is modelled here, small on purpose.
 *
 * Ground truth is recorded in real time: every change of the primary's writability, the real time
 * the promote left the monitor, and the client writes the primary acknowledged.
 */

import { SELF_FENCE_APPLY_MS } from '#shared/lease/drift.ts';
import { promoteGate } from '#shared/lease/promote-gate.ts';
import { decideSelfFence, keepLease, type ReceivedLease } from '#shared/lease/self-fence.ts';
import {
  inContact,
  nextStandbyEvidence,
  type ReplicationView,
  type StandbyEvidence,
} from '#shared/lease/standby-contact.ts';

export class SimViolation extends Error {
  override name = 'SimViolation';
}

/** Links, named first→second for the `fwd` direction: edge→P, edge→S, edge→arbiter, P→S (WAL), arbiter→P, clients→P. */
export const LINKS = ['edgeP', 'edgeS', 'edgeA', 'repl', 'arbP', 'clients'] as const;
export type Link = (typeof LINKS)[number];
export interface Cut {
  link: Link;
  dir: 'both' | 'fwd' | 'back';
  /** Real ms. */
  from: number;
  to: number;
}

export interface LeaseWorld {
  thresholdSeconds: number;
  intervalSeconds: number;
  timeoutMs: number;
  leaseSeconds: number;
  rates: { monitor: number; primary: number; standby: number; arbiter: number };
  /** Real ms; each message takes this long half the time, a uniform share of it otherwise. */
  maxDelay: Record<Link, number>;
  cuts: Cut[];
  /** Which probes of the primary carry a lease: all of them until the decision, or only after an answered one. */
  leasePolicy: 'every-probe' | 'while-answering';
  /** How long the standby's WAL receiver waits for WAL (sent every 250 ms) before it disconnects. */
  receiverTimeoutMs: number;
  seed: number;
  horizonMs: number;
}

export interface LeaseHooks {
  decide: typeof decideSelfFence;
  gate: typeof promoteGate;
  evidence: typeof nextStandbyEvidence;
}
export const REAL_HOOKS: LeaseHooks = { decide: decideSelfFence, gate: promoteGate, evidence: nextStandbyEvidence };

const EPOCH = 1;
const WAL_EVERY_MS = 250;
const CLIENT_WRITE_EVERY_MS = 500;
const ROUND_WHILE_FAILING_MS = 1000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ev {
  at: number;
  seq: number;
  run: () => void;
}

/** A binary heap of events ordered by real time, then by scheduling order. */
class Queue {
  private h: Ev[] = [];
  private seq = 0;
  push(at: number, run: () => void): void {
    const h = this.h;
    h.push({ at, seq: this.seq++, run });
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i] as Ev, h[p] as Ev)) break;
      [h[i], h[p]] = [h[p] as Ev, h[i] as Ev];
      i = p;
    }
  }
  pop(): Ev | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Ev, h[m] as Ev)) m = l;
        if (r < h.length && before(h[r] as Ev, h[m] as Ev)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Ev, h[i] as Ev];
        i = m;
      }
    }
    return top;
  }
}
const before = (a: Ev, b: Ev) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

type Host = keyof LeaseWorld['rates'];

export class LeaseSim {
  now = 0;
  private q = new Queue();
  private clocks: Record<Host, number> = { monitor: 0, primary: 0, standby: 0, arbiter: 0 };
  private rand: () => number;

  // Ground truth, real ms.
  readonly writable: Array<{ at: number; writable: boolean }> = [{ at: 0, writable: true }];
  promoteSentAt: number | null = null;
  decidedAt: number | null = null;
  selfFences = 0;
  lifts = 0;
  acked = 0;
  ackedAfterPromote = 0;

  // Primary's agent (its own clock).
  private p = {
    lease: null as ReceivedLease | null,
    replyAt: 0 as number | null,
    fencedByMonitor: false,
    selfFencedAt: null as number | null,
    isWritable: true,
    applying: 0,
    timer: 0,
    timerAt: null as number | null,
  };
  // Standby's agent.
  private s = { connected: true, lastRecv: 0, lastContact: 0, promoted: false };
  // Monitor (its own clock).
  private m = {
    decided: false,
    lastLeaseSentAt: 0 as number | null,
    lastPrimaryOk: true,
    edgeLostSince: null as number | null,
    standbyLatest: null as ReplicationView | null,
    evidence: null as StandbyEvidence | null,
    arbiterSeesPrimary: null as boolean | null,
    fenceAcceptedAt: null as number | null,
    nextRound: null as number | null,
    roundToken: 0,
  };

  readonly w: LeaseWorld;
  private readonly hooks: LeaseHooks;

  constructor(w: LeaseWorld, hooks: LeaseHooks = REAL_HOOKS) {
    this.w = w;
    this.hooks = hooks;
    this.rand = mulberry32(w.seed);
    // It starts as a primary that has just been probed: a fresh lease and a fresh standby reply.
    this.p.lease = { epoch: EPOCH, seconds: w.leaseSeconds, receivedAt: 0 };
  }

  run(): this {
    this.primaryTick();
    this.standbyTick();
    this.scheduleRound(0);
    this.decidePrimary();
    for (let ev = this.q.pop(); ev !== undefined && ev.at <= this.w.horizonMs; ev = this.q.pop()) {
      this.now = ev.at;
      ev.run();
    }
    this.countClientWrites();
    return this;
  }

  /** True when the primary was writable at some real time after `t`. */
  writableAfter(t: number): boolean {
    const last = this.writable.findLast((c) => c.at <= t + 1e-6);
    return (last?.writable ?? false) || this.writable.some((c) => c.at > t + 1e-6 && c.writable);
  }

  get writableAtEnd(): boolean {
    return this.p.isWritable;
  }

  // --- clocks, links, messages -------------------------------------------------------------
  /** A host's clock: its rate times real time, never behind a timer it has seen fire (no float jitter). */
  private local(h: Host): number {
    this.clocks[h] = Math.max(this.clocks[h], this.now * this.w.rates[h]);
    return this.clocks[h];
  }
  private atLocal(h: Host, local: number, run: () => void): void {
    this.q.push(Math.max(this.now, local / this.w.rates[h]), () => {
      this.clocks[h] = Math.max(this.clocks[h], local);
      run();
    });
  }
  private up(link: Link, fwd: boolean, t: number): boolean {
    for (const c of this.w.cuts) {
      if (c.link !== link || t < c.from || t >= c.to) continue;
      if (c.dir === 'both' || (c.dir === 'fwd') === fwd) return false;
    }
    return true;
  }
  /** Delivers `run` after the link's delay, unless the link is cut when it leaves or when it arrives. */
  private send(link: Link, fwd: boolean, run: () => void): void {
    if (!this.up(link, fwd, this.now)) return;
    const max = this.w.maxDelay[link];
    const delay = this.rand() < 0.5 ? max : this.rand() * max;
    const at = this.now + delay;
    this.q.push(at, () => {
      if (this.up(link, fwd, at)) run();
    });
  }

  // --- primary's agent ---------------------------------------------------------------------
  private decidePrimary(): void {
    const p = this.p;
    for (let i = 0; i < 3; i++) {
      const now = this.local('primary');
      const d = this.hooks.decide({
        now,
        epoch: EPOCH,
        enabled: true,
        leaseSeconds: this.w.leaseSeconds,
        lease: p.lease,
        standbyReplyAt: p.replyAt,
        fencedByMonitor: p.fencedByMonitor,
        selfFencedAt: p.selfFencedAt,
      });
      if (d.action === 'lift') {
        p.selfFencedAt = null;
        this.lifts += 1;
        continue;
      }
      if (d.action === 'fence') {
        // The fence takes effect up to SELF_FENCE_APPLY_MS (of its clock) later, the whole of it half the time.
        p.selfFencedAt = now;
        this.selfFences += 1;
        const apply = this.rand() < 0.5 ? SELF_FENCE_APPLY_MS : this.rand() * SELF_FENCE_APPLY_MS;
        const token = ++p.applying;
        this.atLocal('primary', now + apply, () => {
          if (token === p.applying) this.setWritable(false);
        });
      } else if (d.action === 'writable' || (d.action === 'stay-fenced' && d.by === 'monitor')) {
        p.applying += 1;
        this.setWritable(d.action === 'writable');
      }
      // One pending deadline at a time: a later one is set when the earlier fires and decides again.
      if (d.action === 'writable' && d.checkAt !== null && (p.timerAt === null || d.checkAt < p.timerAt)) {
        const token = ++p.timer;
        p.timerAt = d.checkAt;
        this.atLocal('primary', d.checkAt, () => {
          if (token !== p.timer) return;
          p.timerAt = null;
          this.decidePrimary();
        });
      }
      return;
    }
    throw new SimViolation('the primary lifted its fence and fenced again in one instant');
  }
  private setWritable(v: boolean): void {
    if (this.p.isWritable === v) return;
    this.p.isWritable = v;
    this.writable.push({ at: this.now, writable: v });
  }
  private primaryTick(): void {
    this.send('repl', true, () => this.standbyReceivesWal());
    this.atLocal('primary', this.local('primary') + WAL_EVERY_MS, () => this.primaryTick());
  }
  private primaryReceivesLease(lease: { epoch: number; seconds: number }): void {
    this.p.lease = keepLease(this.p.lease, { ...lease, receivedAt: this.local('primary') }, EPOCH);
    this.decidePrimary();
  }

  // --- standby's agent ---------------------------------------------------------------------
  private standbyTick(): void {
    const s = this.s;
    if (s.promoted) return;
    const now = this.local('standby');
    if (s.connected && now - s.lastRecv > this.w.receiverTimeoutMs) s.connected = false;
    if (s.connected) {
      s.lastContact = now;
      this.send('repl', false, () => {
        this.p.replyAt = this.local('primary');
        this.decidePrimary();
      });
    }
    this.atLocal('standby', now + WAL_EVERY_MS, () => this.standbyTick());
  }
  private standbyReceivesWal(): void {
    if (this.s.promoted) return;
    this.s.lastRecv = this.local('standby');
    this.s.connected = true;
  }
  private standbyReport(): ReplicationView {
    const s = this.s;
    const age = s.connected ? 0 : (this.local('standby') - s.lastContact) / 1000;
    return {
      state: s.connected ? 'streaming' : 'disconnected',
      primaryReachable: s.connected,
      primaryContactAgeSeconds: age,
    };
  }

  // --- clients -----------------------------------------------------------------------------
  /** Client writes every 500 ms real while the clients' link is up: acknowledged when the primary was writable. */
  private countClientWrites(): void {
    let i = 0;
    for (let t = 0; t <= this.w.horizonMs; t += CLIENT_WRITE_EVERY_MS) {
      while (i + 1 < this.writable.length && (this.writable[i + 1]?.at ?? NaN) <= t) i++;
      if (!(this.writable[i]?.writable ?? false) || !this.up('clients', true, t)) continue;
      this.acked += 1;
      if (this.promoteSentAt !== null && t > this.promoteSentAt) this.ackedAfterPromote += 1;
    }
  }

  // --- monitor -----------------------------------------------------------------------------
  private scheduleRound(local: number): void {
    const m = this.m;
    if (m.nextRound !== null && local >= m.nextRound) return;
    m.nextRound = local;
    const token = ++m.roundToken;
    this.atLocal('monitor', local, () => {
      if (token === m.roundToken) this.round();
    });
  }

  /** One probe: `answer` runs on the far host when the request lands and returns what travels back. */
  private probe<T>(
    link: Link,
    answer: () => T,
    done: (sentAt: number, receivedAt: number, got: T | null) => void,
  ): void {
    const sentAt = this.local('monitor');
    let settled = false;
    this.send(link, true, () => {
      const got = answer();
      this.send(link, false, () => {
        const at = this.local('monitor');
        if (settled || at > sentAt + this.w.timeoutMs) return;
        settled = true;
        done(sentAt, at, got);
      });
    });
    this.atLocal('monitor', sentAt + this.w.timeoutMs, () => {
      if (settled) return;
      settled = true;
      done(sentAt, sentAt + this.w.timeoutMs, null);
    });
  }

  private round(): void {
    const m = this.m;
    m.nextRound = null;
    const x = this.local('monitor');
    const lease =
      !m.decided && (this.w.leasePolicy === 'every-probe' || m.lastPrimaryOk)
        ? { epoch: EPOCH, seconds: this.w.leaseSeconds }
        : null;
    if (lease) m.lastLeaseSentAt = x;
    this.probe(
      'edgeP',
      () => {
        if (lease) this.primaryReceivesLease(lease);
        return true;
      },
      (sentAt, _at, ok) => {
        m.lastPrimaryOk = ok !== null;
        if (ok) m.edgeLostSince = null;
        else m.edgeLostSince ??= sentAt;
        this.evaluate();
      },
    );
    this.probe(
      'edgeS',
      () => (this.s.promoted ? null : this.standbyReport()),
      (sentAt, receivedAt, report) => {
        m.standbyLatest = report;
        m.evidence = this.hooks.evidence(m.evidence, { sentAt, receivedAt, replication: report });
        this.evaluate();
      },
    );
    this.probe(
      'edgeA',
      () => this.up('arbP', true, this.now) && this.up('arbP', false, this.now),
      (_s, _r, sees) => {
        m.arbiterSeesPrimary = sees;
        this.evaluate();
      },
    );
    const failing = !m.lastPrimaryOk || m.decided;
    this.scheduleRound(x + (failing ? ROUND_WHILE_FAILING_MS : this.w.intervalSeconds * 1000));
  }

  private evaluate(): void {
    const m = this.m;
    if (this.promoteSentAt !== null) return;
    const now = this.local('monitor');
    if (!m.decided) {
      const lost =
        m.edgeLostSince !== null &&
        now - m.edgeLostSince >= this.w.thresholdSeconds * 1000 &&
        m.standbyLatest !== null &&
        !inContact(m.standbyLatest) &&
        m.arbiterSeesPrimary !== true;
      if (!lost) return;
      m.decided = true;
      this.decidedAt = this.now;
      this.send('edgeP', true, () => {
        this.p.fencedByMonitor = true;
        this.decidePrimary();
        this.send('edgeP', false, () => {
          m.fenceAcceptedAt = this.local('monitor');
          this.evaluate();
        });
      });
    }
    const gate = this.hooks.gate({
      now,
      oldPrimary: 'p',
      leaseSeconds: this.w.leaseSeconds,
      timeoutMs: this.w.timeoutMs,
      selfFence: true,
      lastLeaseSentAt: m.lastLeaseSentAt,
      fenceAcceptedAt: m.fenceAcceptedAt,
      standbys: [{ node: 's', evidence: m.evidence }],
    });
    if (gate.open) {
      this.promoteSentAt = this.now;
      this.send('edgeS', true, () => {
        this.s.promoted = true;
        this.s.connected = false;
      });
    } else if (gate.notBefore > now) {
      this.scheduleRound(gate.notBefore);
    }
  }
}
