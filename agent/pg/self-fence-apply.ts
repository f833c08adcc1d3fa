/**
 * A self-fence made effective on PostgreSQL within `SELF_FENCE_APPLY_MS` of its decision (the
 * monitor's promote wait counts on that bound, shared/lease/drift.ts). The ordinary fence
 * (./apply-fence.ts) is tried, and tried again when it fails, while the bound leaves time; only a
 * fence still not in force when the bound runs out stops the server (./stop-server.ts). A failure
 * the agent itself could cause (one of its own checks ending the fence's session) cannot happen:
 * fence changes run one at a time (backend.ts) and a fence never ends the agent's own sessions.
 */
import { SELF_FENCE_APPLY_MS } from '#shared/lease/drift.ts';
import { withinBound } from '../lease/apply-bound.ts';
import { dbErrorText } from './client.ts';
import { stopServerNow } from './stop-server.ts';

/** Between two tries of an apply that failed. */
const RETRY_PAUSE_MS = 50;

export interface SelfFenceApply {
  /** The ordinary fence; resolves with how many client sessions it ended. */
  apply: () => Promise<number>;
  /** When the keeper decided to fence (monotonic ms, `performance.now()`). */
  decidedAt: number;
  dataDir: string | null;
  log: (line: string) => void;
}

/** What happened, for the log. Never rejects. */
export async function applySelfFence(o: SelfFenceApply): Promise<string> {
  const deadline = o.decidedAt + SELF_FENCE_APPLY_MS;
  const applying = applyBefore(o, deadline);
  try {
    const done = await withinBound(applying, deadline - performance.now(), () => stopServerNow(o.dataDir));
    if (done.inTime) return `read-only, ${done.value} client sessions ended`;
    void applying.catch((e: unknown) => o.log(`read-only switch failed: ${dbErrorText(e)}`));
    return `not read-only within ${SELF_FENCE_APPLY_MS} ms: ${done.late}`;
  } catch (error) {
    return `applying it failed until the bound ran out (${dbErrorText(error)}): ${await stopServerNow(o.dataDir)}`;
  }
}

async function applyBefore(o: SelfFenceApply, deadline: number): Promise<number> {
  for (;;) {
    try {
      return await o.apply();
    } catch (error) {
      if (performance.now() + RETRY_PAUSE_MS >= deadline) throw error;
      o.log(`self-fence: applying it failed (${dbErrorText(error)}), trying again within the bound`);
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
    }
  }
}
