/**
 * Primary-only mode of the job wrapper: the same job is installed on every node of a store with
 * the same schedule, and runs only on the node that is the serving, unfenced primary (the seeds'
 * scheduled event that fires only on the primary, with its `NumActive` check). Each start:
 *
 * 1. asks the local agent (`GET /local/primary`); on any other node it sends a `skipped`
 *    heartbeat naming the node and why, and exits 0: standing aside is this node's job;
 * 2. takes the run lock (./run-lock.ts): while a previous run is still going here it sends
 *    `skipped` and exits 75 (EX_TEMPFAIL), without starting a second one (73, EX_CANTCREAT, if
 *    the lock cannot be written at all);
 * 3. sends `start` naming the node and its epoch; if the worker answers that the store is at a
 *    later epoch (409 `stale_epoch`: this node missed a failover) it sends `skipped` and exits 0;
 *    otherwise, or if the worker cannot be reached, it runs the command (./run-job.ts).
 *
 * An agent that cannot be asked (down, not this store's, an answer that does not parse) means "do
 * not run": the wrapper says why, sends `skipped` without a node, and exits 69 (EX_UNAVAILABLE)
 * so cron's mail or a script sees it. A missed slot is alerted; a sync run twice cannot be undone.
 */
import { PrimaryGate } from '#shared/primary-gate.ts';
import { describeError } from '../describe-error.ts';
import { type HeartbeatTarget, sendHeartbeat } from './heartbeat-client.ts';
import { jobLogger, newRunId, type RunJobOptions, runJob } from './run-job.ts';
import { acquireRunLock } from './run-lock.ts';

export const EXIT_AGENT_UNAVAILABLE = 69;
export const EXIT_STILL_RUNNING = 75;
export const EXIT_LOCK_FAILED = 73;

export interface PrimaryOnlyOptions extends RunJobOptions {
  /** The local agent's base URL, e.g. http://127.0.0.1:8008 */
  agent: string;
  /** Where the run lock lives; one file per store and job. */
  lockDir: string;
  agentTimeoutMs?: number;
}

export type AgentAnswer = { ok: true; gate: PrimaryGate } | { ok: false; error: string };

export async function askLocalAgent(agent: string, store: string, timeoutMs = 5000): Promise<AgentAnswer> {
  const url = `${agent.replace(/\/+$/, '')}/local/primary`;
  let text: string;
  let status: number;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    status = res.status;
    text = await res.text();
  } catch (err) {
    return { ok: false, error: `the local agent at ${url} cannot be asked: ${describeError(err)}` };
  }
  if (status !== 200)
    return { ok: false, error: `the local agent at ${url} answered ${status}: ${text.slice(0, 200)}` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: `the local agent at ${url} answered something that is not JSON` };
  }
  const gate = PrimaryGate.safeParse(json);
  if (!gate.success) return { ok: false, error: `the local agent at ${url} gave an answer this wrapper cannot read` };
  if (gate.data.store !== store)
    return { ok: false, error: `the local agent at ${url} is store "${gate.data.store}"'s, not "${store}"'s` };
  return { ok: true, gate: gate.data };
}

export async function runPrimaryOnly(
  target: HeartbeatTarget,
  command: string[],
  options: PrimaryOnlyOptions,
): Promise<number> {
  const log = options.log ?? jobLogger(target.job);
  const skip = async (to: HeartbeatTarget, why: string) => {
    const sent = await sendHeartbeat(to, 'skipped', why, newRunId(), options);
    if (!sent.ok) log(`could not send the skipped heartbeat: ${sent.error}`);
  };

  const asked = await askLocalAgent(options.agent, target.store, options.agentTimeoutMs);
  if (!asked.ok) {
    log(`not running: ${asked.error}; a node that cannot vouch for being primary does not run the job`);
    await skip(target, `not run: ${asked.error}`);
    return EXIT_AGENT_UNAVAILABLE;
  }
  const { gate } = asked;
  const here: HeartbeatTarget = { ...target, from: { node: gate.node, epoch: gate.epoch } };
  if (!gate.serving) {
    log(`skipped on ${gate.node}: ${gate.reason}`);
    await skip(here, gate.reason);
    return 0;
  }

  const locked = await acquireRunLock(options.lockDir, target.store, target.job);
  if (!locked.ok) {
    const why = 'reason' in locked ? locked.reason : locked.error;
    log(`not starting on ${gate.node}: ${why}`);
    await skip(here, `not started: ${why}`);
    return 'reason' in locked ? EXIT_STILL_RUNNING : EXIT_LOCK_FAILED;
  }
  // Recording the command's pid must finish before the lock is released, or it would put it back.
  let recording: Promise<void> = Promise.resolve();
  try {
    return await runJob(here, command, {
      ...options,
      log,
      onSpawn: (pid) => {
        recording = locked.lock.started(pid);
        return recording;
      },
      // The worker's second opinion, when it can be reached: a node behind the store's epoch is a
      // stale primary that missed its fence. Unreachable, the agent's word stands (a WAN cut must
      // not stop the store's own sync).
      vetoStart: (sent) => (!sent.ok && sent.refusal?.code === 'stale_epoch' ? sent.refusal.message : null),
    });
  } finally {
    await recording.catch(() => undefined); // runJob has logged it
    await locked.lock.release();
  }
}
