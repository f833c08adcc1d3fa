/**
 * One node's memory of the actions it has taken, keyed by Idempotency-Key, so a retried action is
 * answered with the first answer instead of being applied again. Actions on one node run one at a
 * time (`serialize`), so the epoch check and the apply cannot interleave with a duplicate or a rival.
 * Only successful answers are kept: a refusal changed nothing, so its key stays free. Bounded: the
 * oldest keys are forgotten first. A `journal` (the PostgreSQL agent's file) makes it durable: an
 * action is applied only after its record is written (see agent/actions.ts).
 */
export interface LedgerAnswer {
  status: number;
  body: unknown;
}

/** Durable storage of a ledger's records, written around each apply. */
export interface LedgerJournal {
  /** Where it writes, for messages. */
  readonly where: string;
  /**
   * Durably records that `key` is about to be applied at `epoch`, with the answer a retry gets should
   * the agent stop before `end`. Throws when it cannot: the action must then not be applied.
   */
  begin(key: string, epoch: number, provisional: LedgerAnswer): Promise<void>;
  /** Durably records how it ended: its answer, or null when it was refused (the key is free again). */
  end(key: string, epoch: number, answer: LedgerAnswer | null): Promise<void>;
}

export class IdempotencyLedger {
  readonly #answers = new Map<string, LedgerAnswer>();
  readonly #limit: number;
  readonly journal: LedgerJournal | null;
  #highestEpoch = 0;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(limit = 1000, journal: LedgerJournal | null = null) {
    this.#limit = limit;
    this.journal = journal;
  }

  /** The highest epoch of any action this node accepted (its report may not show it yet). */
  get highestEpoch(): number {
    return this.#highestEpoch;
  }

  get size(): number {
    return this.#answers.size;
  }

  lookup(key: string): LedgerAnswer | undefined {
    return this.#answers.get(key);
  }

  remember(key: string, epoch: number, answer: LedgerAnswer): void {
    this.#answers.set(key, answer);
    this.#highestEpoch = Math.max(this.#highestEpoch, epoch);
    while (this.#answers.size > this.#limit) {
      const oldest = this.#answers.keys().next();
      if (oldest.done) break;
      this.#answers.delete(oldest.value);
    }
  }

  /** Runs `task` after every task queued before it on this node has settled. */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task, task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
