/**
 * An `IdempotencyLedger` whose records survive an agent restart (`<stateDir>/actions.json`). Without
 * it, a monitor that retries a promotion the agent applied just before restarting would meet the new
 * epoch and get a 409 instead of the first answer, and count a completed failover as failed.
 *
 * Write-ahead: an action's record is written (as `pending`, with a provisional 202 answer) before
 * the action is applied, and replaced by its answer after; an agent that stops in between answers a
 * retry with that 202, and its report says how the action ended. A record that cannot be written
 * refuses the action (agent/actions.ts), so no applied action is ever missing from the file.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ensureDir, readJsonFile, writeJsonDurably } from './durable-json.ts';
import { IdempotencyLedger, type LedgerAnswer, type LedgerJournal } from './idempotency-ledger.ts';

const Entry = z.object({
  key: z.string(),
  epoch: z.number().int().min(0),
  status: z.number().int(),
  body: z.unknown(),
  /** Written before the apply; the apply's outcome was never recorded. */
  pending: z.boolean().optional(),
});
type Entry = z.infer<typeof Entry>;
const LedgerFile = z.object({ version: z.literal(1), entries: z.array(Entry) });

export const LEDGER_FILE = 'actions.json';

export class DurableLedger implements LedgerJournal {
  readonly ledger: IdempotencyLedger;
  readonly path: string;
  readonly #limit: number;
  #entries: Entry[];
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(path: string, entries: Entry[], limit: number) {
    this.path = path;
    this.#limit = limit;
    this.#entries = entries.slice(-limit);
    this.ledger = new IdempotencyLedger(limit, this);
    for (const e of this.#entries) this.ledger.remember(e.key, e.epoch, { status: e.status, body: e.body });
  }

  static async open(stateDir: string, limit = 200): Promise<DurableLedger> {
    await ensureDir(stateDir);
    const path = join(stateDir, LEDGER_FILE);
    const json = await readJsonFile(path);
    if (json === null) return new DurableLedger(path, [], limit);
    const parsed = LedgerFile.safeParse(json);
    if (!parsed.success) {
      throw new Error(`action ledger ${path} is invalid: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
    }
    return new DurableLedger(path, parsed.data.entries, limit);
  }

  get where(): string {
    return this.path;
  }

  begin(key: string, epoch: number, provisional: LedgerAnswer): Promise<void> {
    return this.#write(key, { key, epoch, ...provisional, pending: true });
  }

  end(key: string, epoch: number, answer: LedgerAnswer | null): Promise<void> {
    return this.#write(key, answer === null ? null : { key, epoch, ...answer });
  }

  /**
   * Replaces `key`'s record (null drops it), after any write queued before; the in-memory list
   * follows only a write that reached the disk.
   */
  #write(key: string, entry: Entry | null): Promise<void> {
    const run = this.#tail.then(async () => {
      const rest = this.#entries.filter((e) => e.key !== key);
      const next = (entry === null ? rest : [...rest, entry]).slice(-this.#limit);
      await writeJsonDurably(this.path, { version: 1, entries: next });
      this.#entries = next;
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
