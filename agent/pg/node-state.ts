/**
 * What a database node must remember across agent and server restarts, in `<stateDir>/node-state.json`:
 * the epoch it follows, whether it is fenced, and a promotion it started but has not seen finish.
 * PostgreSQL has no place for these, and losing them is dangerous (an epoch back at 0 would accept
 * a stale action; a forgotten fence would let a returning old primary take writes), so an unreadable
 * file stops the agent with a message instead of being reset.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { issueDetails } from '#shared/schemas/issues.ts';
import { ensureDir, readJsonFile, writeJsonDurably } from '../durable-json.ts';

export const NodeState = z.object({
  version: z.literal(1),
  epoch: z.number().int().min(0),
  fenced: z.boolean(),
  /** The fence is the agent's own (contract section 6): a lease at its epoch lifts it; a monitor's fence never is. */
  selfFenced: z.boolean().default(false),
  /** The epoch of a `pg_promote` sent but not yet seen complete; recorded as the epoch once it is. */
  pendingPromotion: z.number().int().min(1).nullable(),
  updatedAt: z.string(),
});
export type NodeState = z.infer<typeof NodeState>;

export const NODE_STATE_FILE = 'node-state.json';

export class NodeStateStore {
  readonly path: string;
  #state: NodeState;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(path: string, state: NodeState) {
    this.path = path;
    this.#state = state;
  }

  static async open(stateDir: string): Promise<NodeStateStore> {
    await ensureDir(stateDir);
    const path = join(stateDir, NODE_STATE_FILE);
    const json = await readJsonFile(path);
    if (json === null) {
      const initial: NodeState = {
        version: 1,
        epoch: 0,
        fenced: false,
        selfFenced: false,
        pendingPromotion: null,
        updatedAt: new Date().toISOString(),
      };
      return new NodeStateStore(path, initial);
    }
    const parsed = NodeState.safeParse(json);
    if (!parsed.success) {
      const problems = issueDetails(parsed.error)
        .map((d) => `${d.path}: ${d.message}`)
        .join('; ');
      throw new Error(
        `node state file ${path} is invalid (${problems}); repair it by hand: removing it would reset the epoch to 0 and forget a fence`,
      );
    }
    return new NodeStateStore(path, parsed.data);
  }

  get current(): NodeState {
    return this.#state;
  }

  /** Applies `patch` and writes the file durably; resolves once it is on disk. Writes run in order. */
  update(patch: Partial<Omit<NodeState, 'version' | 'updatedAt'>>): Promise<NodeState> {
    const run = this.#tail.then(async () => {
      const next: NodeState = { ...this.#state, ...patch, updatedAt: new Date().toISOString() };
      await writeJsonDurably(this.path, next);
      this.#state = next;
      return next;
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }
}
