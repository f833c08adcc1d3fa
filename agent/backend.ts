/**
 * What a store agent needs from the database it fronts. The simulated backend (sim) and the
 * PostgreSQL backend implement it; the HTTP layer and action verification (agent/actions.ts) are
 * written once against it.
 */
import type { ActionRequest } from '#shared/schemas/action.ts';
import type { AgentReport } from '#shared/schemas/report.ts';

/**
 * `accepted`: the change was started and completes on its own (the monitor watches the reports);
 * `completed`: the change is already in effect.
 */
export interface ActionOutcome {
  state: 'accepted' | 'completed';
  message: string;
}

export interface Backend {
  /** The node's health report (docs/PROTOCOL.md section 3), valid against `AgentReport`. */
  report(): Promise<AgentReport>;
  /** Become primary at `epoch`. Called once per idempotency key, with an epoch above the node's. */
  promote(epoch: number, ctx: ActionRequest): Promise<ActionOutcome>;
  /** Stop accepting writes and release the active IP, following `epoch` from now on. */
  fence(epoch: number, ctx: ActionRequest): Promise<ActionOutcome>;
  /**
   * Rebuild this fenced former primary as a standby of `ctx.primary`, following `epoch` (the store's
   * current epoch, contract section 8). Optional: an agent without it refuses `reinstate` with 409.
   */
  reinstate?(epoch: number, ctx: ActionRequest): Promise<ActionOutcome>;
}

/** A backend's deliberate refusal of an action, answered with `status` and `code` as given. */
export class ActionRefusedError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ActionRefusedError';
    this.status = status;
    this.code = code;
  }
}
