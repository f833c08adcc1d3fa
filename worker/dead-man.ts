/**
 * Watching the watcher: each watchdog cron run pings the dead-man URL from the config (a
 * healthchecks.io-style check), but only when every monitor answered, so the outside service
 * notices both a worker that stopped running and one whose monitors it can no longer reach.
 */
import type { DeadMan } from '#shared/schemas/alerting.ts';

const DEAD_MAN_TIMEOUT_MS = 5000;

export interface WatchdogRun {
  rearmed: string[];
  failed: string[];
  stores: number;
  deadMan: DeadMan | null;
}

export type DeadManOutcome = { pinged: false; why: string } | { pinged: true; status: number };

export async function pingDeadMan(env: Env, run: WatchdogRun, now: number): Promise<DeadManOutcome> {
  const dm = run.deadMan;
  if (!dm) return { pinged: false, why: 'no deadMan in the config' };
  if (run.failed.length > 0) return { pinged: false, why: `${run.failed.length} monitor(s) did not answer` };
  const secret: unknown = dm.urlSecret ? Reflect.get(env, dm.urlSecret) : undefined;
  const url = dm.url ?? (typeof secret === 'string' ? secret : null);
  if (!url) return { pinged: false, why: `Worker secret ${dm.urlSecret} is not set` };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ at: new Date(now).toISOString(), stores: run.stores, rearmed: run.rearmed.length }),
      signal: AbortSignal.timeout(DEAD_MAN_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { pinged: true, status: res.status };
  } catch (err) {
    // Never the URL: it may be a secret.
    return { pinged: false, why: `the ping failed: ${err instanceof Error ? err.name : 'error'}` };
  }
}
