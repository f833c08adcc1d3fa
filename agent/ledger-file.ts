/**
 * An `IdempotencyLedger` whose answers survive an agent restart (`<stateDir>/actions.json`). Without
 * it, a monitor that retries a promotion the agent applied just before restarting would meet the new
 * epoch and get a 409 instead of the first answer, and count a completed failover as failed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ensureDir, readJsonFile, writeJsonDurably } from './durable-json.ts';
import { IdempotencyLedger, type LedgerAnswer } from './idempotency-ledger.ts';

const Entry = z.object({
  key: z.string(),
  epoch: z.number().int().min(0),
  status: z.number().int(),
  body: z.unknown(),
});
type Entry = z.infer<typeof Entry>;
const LedgerFile = z.object({ version: z.literal(1), entries: z.array(Entry) });

export const LEDGER_FILE = 'actions.json';

export class DurableLedger {
  readonly ledger: IdempotencyLedger;
  readonly path: string;
  readonly #limit: number;
  #entries: Entry[];
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(path: string, entries: Entry[], limit: number) {
    this.path = path;
    this.#limit = limit;
    this.#entries = entries.slice(-limit);
    this.ledger = new IdempotencyLedger(limit);
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

  /** Writes an answer the in-memory ledger already holds (handleAction remembered it) to disk. */
  persist(key: string, epoch: number, answer: LedgerAnswer): Promise<void> {
    this.#entries = [...this.#entries.filter((e) => e.key !== key), { key, epoch, ...answer }].slice(-this.#limit);
    const snapshot = { version: 1, entries: this.#entries };
    const run = this.#tail.then(() => writeJsonDurably(this.path, snapshot));
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
