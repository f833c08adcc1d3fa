/**
 * Every action request the simulator received, in order, with its verdict: what tests assert on
 * ("exactly one promote reached gz-tianhe-b, validly signed"). Bounded: the oldest entries go first.
 */
import type { RecordedAction } from './control-schema.ts';

export type ActionRecordInput = Omit<RecordedAction, 'seq' | 'at' | 'action' | 'epoch'>;

export interface ActionFilter {
  store?: string;
  node?: string;
  action?: string;
}

/** Reads `action` and `epoch` from a body without trusting it, for requests never verified. */
function peek(body: string): { action: string | null; epoch: number | null } {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) return { action: null, epoch: null };
    const action = 'action' in json && typeof json.action === 'string' ? json.action : null;
    const epoch = 'epoch' in json && typeof json.epoch === 'number' ? json.epoch : null;
    return { action, epoch };
  } catch {
    return { action: null, epoch: null };
  }
}

export class ActionLog {
  readonly #entries: RecordedAction[] = [];
  readonly #limit: number;
  #seq = 0;

  constructor(limit = 10_000) {
    this.#limit = limit;
  }

  record(input: ActionRecordInput, at: number): RecordedAction {
    this.#seq += 1;
    const entry: RecordedAction = { seq: this.#seq, at: new Date(at).toISOString(), ...peek(input.body), ...input };
    this.#entries.push(entry);
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit);
    return entry;
  }

  list(filter: ActionFilter = {}): RecordedAction[] {
    return this.#entries.filter(
      (e) =>
        (filter.store === undefined || e.store === filter.store) &&
        (filter.node === undefined || e.node === filter.node) &&
        (filter.action === undefined || e.action === filter.action),
    );
  }

  clear(): number {
    const count = this.#entries.length;
    this.#entries.length = 0;
    return count;
  }
}
