/**
 * The `Backend` of a PostgreSQL node in a streaming-replication pair.
 *
 * - Role: `pg_is_in_recovery()`. A database that does not answer within the timeout reports
 *   `healthy: false` and the last role it was seen in (`unknown` before the first answer).
 * - Lag (standbys): 0 when everything received is replayed, else the age of the last replayed
 *   transaction; `lagBytes` is receive LSN minus replay LSN. The stream is `streaming` only while
 *   `pg_stat_wal_receiver` says so; otherwise `disconnected`, and `primaryReachable` comes from a TCP
 *   probe of the primary's address (the database port answering is not the stream, but it tells
 *   "primary gone" from "stream broken"). A standby whose own database is down reports `stopped`.
 *   `synchronous` comes from the primary's `pg_stat_replication.sync_state` (cached), or, when the
 *   primary cannot be asked, from the local `synchronous_standby_names`.
 * - Epoch, fence and a started promotion live in `<stateDir>/node-state.json` (./node-state.ts).
 * - Self-fence (contract section 6, run by agent/lease/self-fence-keeper.ts): the same fence, marked
 *   `selfFenced` in the state file; `liftSelfFence` undoes only that kind. Every change of the fence
 *   on this node (fence, self-fence, lift, promote, and bringing the server in line with the state
 *   file, from a report or the background check) runs in one queue, one at a time, each reading
 *   the server afresh: a monitor's fence can never be undone by a lift in flight, and a check that
 *   read the server before a self-fence switched it read-only cannot re-apply the fence under it.
 * - Standbys report `primaryContactAgeSeconds` (./receiver-contact.ts).
 * - Fence: `default_transaction_read_only = on` through ALTER SYSTEM (so it survives restarts) and
 *   every other client session ended. A fenced node still answers `SELECT 1`, so it reports
 *   `healthy: true`, `role: "primary"` and `fenced: true`; the monitor reads `fenced` as "not
 *   serving, reinstate me". The fence holds ordinary clients; a session that deliberately sets
 *   `transaction_read_only = off` could still write, so a fenced primary should be stopped or
 *   rebuilt as a standby soon. Once the node is seen in recovery again (rebuilt as a standby), the
 *   fence is lifted on its own: a standby cannot take writes.
 * - The server is kept in line with the state file, on every report and every second while there
 *   is something to keep: a fence recorded while the database was down is applied when it answers
 *   (and written into postgresql.auto.conf meanwhile, so the server starts read-only), a fence
 *   someone undid is re-applied, a promotion that finished after its action was answered gets its
 *   epoch.
 */
import type pg from 'pg';
import type { AgentReport } from '#shared/schemas/report.ts';
import type { ActionOutcome, Backend } from '../backend.ts';
import type { ResourceSampler, Resources } from '../resources.ts';
import { formatAddress } from '../tcp-probe.ts';
import { applyFence } from './apply-fence.ts';
import { type DbTarget, dbErrorText, withClient } from './client.ts';
import { fenceNode } from './fence-node.ts';
import { type NodeState, NodeStateStore } from './node-state.ts';
import { writeOfflineFence } from './offline-fence.ts';
import { promoteNode } from './promote-node.ts';
import { liftFenceSetting, readStatus, type StatusRow } from './queries.ts';
import { applySelfFence } from './self-fence-apply.ts';
import { StreamReporter } from './stream-report.ts';

export interface PgBackendOptions {
  node: string;
  db: DbTarget;
  stateDir: string;
  /** Bound on connecting and on each query, ms. */
  timeoutMs?: number;
  /** How long `pg_promote` waits for the promotion before the action is answered `accepted`. */
  promoteWaitSeconds?: number;
  /** How long a `sync_state` read from the primary is reused, ms. */
  syncCheckTtlMs?: number;
  /**
   * The server's data directory on this host; learnt from the server when absent. Used for disk use,
   * and to write a fence into postgresql.auto.conf while the server is down.
   */
  dataDir?: string;
  /** How often a fence or an unfinished promotion is checked against the server, ms. */
  reconcileIntervalMs?: number;
  resources?: ResourceSampler | null;
  log?: (line: string) => void;
  now?: () => number;
  /** The agent's monotonic clock, ms (`performance.now()` by default). */
  monoNow?: () => number;
  /** Told when this node became (or was confirmed) primary at an epoch: that counts as a lease. */
  onPromoted?: (epoch: number) => void;
}

type Role = 'primary' | 'standby';

export class PgBackend implements Backend {
  readonly node: string;
  readonly #o: Required<Pick<PgBackendOptions, 'timeoutMs' | 'promoteWaitSeconds' | 'syncCheckTtlMs'>>;
  readonly #db: DbTarget;
  readonly #store: NodeStateStore;
  readonly #resources: ResourceSampler | null;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  readonly #where: string;
  readonly #reconcileIntervalMs: number;
  #dataDir: string | null;
  #reconcileTimer: ReturnType<typeof setInterval> | null = null;
  #reconciling = false;
  #offlineFenced = false;
  #lastRole: Role | null = null;
  #downReason: string | null = null;
  readonly #stream: StreamReporter;
  readonly #onPromoted: (epoch: number) => void;
  #fenceTail: Promise<unknown> = Promise.resolve();

  private constructor(options: PgBackendOptions, store: NodeStateStore) {
    this.node = options.node;
    this.#db = options.db;
    this.#store = store;
    this.#o = {
      timeoutMs: options.timeoutMs ?? 2000,
      promoteWaitSeconds: options.promoteWaitSeconds ?? 4,
      syncCheckTtlMs: options.syncCheckTtlMs ?? 30_000,
    };
    this.#resources = options.resources ?? null;
    this.#dataDir = options.dataDir ?? null;
    this.#reconcileIntervalMs = options.reconcileIntervalMs ?? 1000;
    this.#log = options.log ?? ((line) => console.log(`[agent ${options.node}] ${line}`));
    this.#now = options.now ?? Date.now;
    this.#where = `database ${formatAddress(options.db)}`;
    this.#onPromoted = options.onPromoted ?? (() => undefined);
    this.#stream = new StreamReporter({
      db: options.db,
      timeoutMs: this.#o.timeoutMs,
      syncCheckTtlMs: this.#o.syncCheckTtlMs,
      now: this.#now,
      monoNow: options.monoNow ?? (() => performance.now()),
      log: this.#log,
    });
  }

  /** Reads the state file (an invalid one throws: see node-state.ts). */
  static async open(options: PgBackendOptions): Promise<PgBackend> {
    return new PgBackend(options, await NodeStateStore.open(options.stateDir));
  }

  get state(): NodeState {
    return this.#store.current;
  }

  get db(): DbTarget {
    return this.#db;
  }

  get timeoutMs(): number {
    return this.#o.timeoutMs;
  }

  /** Folds a status read (null: the database did not answer) into the standby's contact tracking. */
  noteReceiver(status: StatusRow | null): void {
    this.#stream.note(status);
  }

  /** Runs fence changes (and the background check) one at a time, in order. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#fenceTail.then(task);
    this.#fenceTail = run.catch(() => undefined);
    return run;
  }

  /**
   * At agent startup: a node the state file says is fenced gets the fence applied again at once
   * (sessions included), whatever the server's settings say now; a server that is down gets it
   * written into its postgresql.auto.conf. Then, while there is a fence or an unfinished promotion
   * to keep, the server is checked every `reconcileIntervalMs`, not only when someone asks for a report.
   */
  async start(): Promise<AgentReport> {
    await this.#serial(() => this.#fenceAtStart());
    const report = await this.report();
    this.#log(
      `${report.role} at epoch ${report.epoch}, ${report.healthy ? 'healthy' : 'database down'}${report.fenced ? ', fenced' : ''}`,
    );
    this.#reconcileTimer ??= setInterval(() => void this.#tick(), this.#reconcileIntervalMs);
    this.#reconcileTimer.unref();
    return report;
  }

  async #fenceAtStart(): Promise<void> {
    const state = this.#store.current;
    if (!state.fenced) return;
    try {
      const status = await this.#query(readStatus);
      this.#dataDir ??= status.data_directory || null;
      if (!status.in_recovery) {
        const ended = await this.#applyFence();
        this.#log(`fenced at epoch ${state.epoch} per the state file: read-only re-applied, ${ended} sessions ended`);
      }
    } catch (error) {
      const offline = await this.#fenceOffline();
      this.#log(`fenced per the state file; ${this.#where} does not answer (${dbErrorText(error)}); ${offline}`);
    }
  }

  /** Stops the background check started by `start`. */
  stop(): void {
    if (this.#reconcileTimer) clearInterval(this.#reconcileTimer);
    this.#reconcileTimer = null;
  }

  async report(): Promise<AgentReport> {
    const time = new Date(this.#now()).toISOString();
    let status: StatusRow;
    try {
      status = await this.#query(readStatus);
    } catch (error) {
      this.noteReceiver(null);
      this.#noteDown(dbErrorText(error));
      if (this.#store.current.fenced && !this.#offlineFenced) this.#log(await this.#fenceOffline());
      return this.#downReport(time);
    }
    this.noteReceiver(status);
    this.#noteUp();
    this.#dataDir ??= status.data_directory || null;
    if (this.#outOfLine(status)) await this.#serial(() => this.#reconcileNow());
    this.#lastRole = status.in_recovery ? 'standby' : 'primary';
    const state = this.#store.current;
    const base = { node: this.node, epoch: state.epoch, healthy: true, time, ...this.#fenceFields() };
    const resources = await this.#sampleResources();
    if (!status.in_recovery) return { ...base, role: 'primary', ...resources };
    return { ...base, role: 'standby', replication: await this.#stream.report(status), ...resources };
  }

  promote(epoch: number): Promise<ActionOutcome> {
    return this.#serial(() => this.#promote(epoch));
  }

  #promote(epoch: number): Promise<ActionOutcome> {
    return promoteNode(
      {
        node: this.node,
        where: this.#where,
        store: this.#store,
        waitSeconds: this.#o.promoteWaitSeconds,
        timeoutMs: this.#o.timeoutMs,
        query: (task, timeoutMs) => this.#query(task, timeoutMs),
        promoted: this.#onPromoted,
        log: this.#log,
      },
      epoch,
    );
  }

  fence(epoch: number): Promise<ActionOutcome> {
    return this.#serial(() =>
      fenceNode(
        {
          node: this.node,
          where: this.#where,
          store: this.#store,
          query: (task) => this.#query(task),
          applyFence: () => this.#applyFence(),
          fenceOffline: () => this.#fenceOffline(),
          log: this.#log,
        },
        epoch,
      ),
    );
  }

  #query<T>(task: (client: pg.Client) => Promise<T>, timeoutMs = this.#o.timeoutMs): Promise<T> {
    return withClient(this.#db, timeoutMs, task);
  }

  #applyFence(): Promise<number> {
    return applyFence(this.#db, this.#o.timeoutMs, this.#now);
  }

  /**
   * The fence `SelfFenceKeeper` decided (it logs why): as a `fence` action, at the epoch the node
   * follows, in force within `SELF_FENCE_APPLY_MS` or the server is stopped (./self-fence-apply.ts).
   * No-op when already fenced.
   */
  selfFence(): Promise<void> {
    const decidedAt = performance.now();
    return this.#serial(async () => {
      if (this.#store.current.fenced) return;
      await this.#store.update({ fenced: true, selfFenced: true, pendingPromotion: null });
      const apply = () => this.#applyFence();
      const outcome = await applySelfFence({ apply, decidedAt, dataDir: this.#dataDir, log: this.#log });
      this.#log(`self-fence applied in ${Math.round(performance.now() - decidedAt)} ms: ${outcome}`);
    });
  }

  /** Undoes a self-fence, never a monitor's fence. The setting goes first: a crash in between stays fenced. */
  liftSelfFence(reason: string): Promise<void> {
    return this.#serial(async () => {
      const state = this.#store.current;
      if (!state.fenced || !state.selfFenced) return;
      await this.#query(liftFenceSetting);
      await this.#store.update({ fenced: false, selfFenced: false });
      this.#log(`self-fence lifted (${reason}): writes allowed again`);
    });
  }

  async #tick(): Promise<void> {
    const state = this.#store.current;
    if (this.#reconciling || (!state.fenced && state.pendingPromotion === null)) return;
    this.#reconciling = true;
    await this.#serial(() => this.#reconcileNow()).finally(() => {
      this.#reconciling = false;
    });
  }

  /** Whether a status read (maybe stale by now) shows the server out of line with the state file. */
  #outOfLine(status: StatusRow): boolean {
    const state = this.#store.current;
    if (status.in_recovery) return state.fenced;
    return state.pendingPromotion !== null || (state.fenced && !status.read_only);
  }

  /** In the queue only: reads the server afresh, then brings it in line with the state file. */
  async #reconcileNow(): Promise<void> {
    let status: StatusRow;
    try {
      status = await this.#query(readStatus);
    } catch (error) {
      this.#noteDown(dbErrorText(error));
      if (this.#store.current.fenced && !this.#offlineFenced) this.#log(await this.#fenceOffline());
      return;
    }
    this.#noteUp();
    await this.#reconcile(status);
  }

  async #fenceOffline(): Promise<string> {
    const outcome = await writeOfflineFence(this.#dataDir);
    this.#offlineFenced = outcome.done;
    return outcome.message;
  }

  /** Brings the server in line with the state file; failures are logged and retried next report. */
  async #reconcile(status: StatusRow): Promise<void> {
    const state = this.#store.current;
    try {
      if (status.in_recovery) {
        if (state.fenced) {
          await this.#store.update({ fenced: false, selfFenced: false });
          this.#log(`in recovery again (rebuilt as a standby): fence lifted, following epoch ${state.epoch}`);
        }
        return;
      }
      if (state.pendingPromotion !== null) {
        await this.#query(liftFenceSetting);
        await this.#store.update({ epoch: Math.max(state.epoch, state.pendingPromotion), pendingPromotion: null });
        this.#onPromoted(this.#store.current.epoch);
        this.#log(`promotion finished: primary at epoch ${state.pendingPromotion}`);
      }
      if (state.fenced && !status.read_only) {
        const ended = await this.#applyFence();
        this.#log(`fenced, but writes were allowed again: read-only re-applied, ${ended} client sessions ended`);
      }
    } catch (error) {
      this.#log(`cannot bring ${this.#where} in line with the state file: ${dbErrorText(error)}`);
    }
  }

  async #downReport(time: string): Promise<AgentReport> {
    const state = this.#store.current;
    const role: AgentReport['role'] = this.#lastRole ?? 'unknown';
    const base = { node: this.node, role, epoch: state.epoch, healthy: false, time, ...this.#fenceFields() };
    const resources = await this.#sampleResources();
    if (role !== 'standby') return { ...base, ...resources };
    return { ...base, replication: await this.#stream.reportDown(), ...resources };
  }

  #fenceFields(): { fenced: boolean; selfFenced: boolean } {
    const { fenced, selfFenced } = this.#store.current;
    return { fenced, selfFenced: fenced && selfFenced };
  }

  async #sampleResources(): Promise<{ resources?: Resources }> {
    if (!this.#resources) return {};
    return { resources: await this.#resources.sample(this.#dataDir) };
  }

  #noteDown(reason: string): void {
    if (this.#downReason === reason) return;
    this.#downReason = reason;
    this.#log(`${this.#where} does not answer: ${reason}`);
  }

  #noteUp(): void {
    this.#offlineFenced = false;
    if (this.#downReason === null) return;
    this.#downReason = null;
    this.#log(`${this.#where} answers again`);
  }
}
