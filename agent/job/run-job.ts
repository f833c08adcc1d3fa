/**
 * Runs a scheduled job (a snapshot, a sync) between two heartbeats: `start` before it, then
 * `success` or `fail` with its exit code when it ends. The job's output passes through untouched
 * and its exit code is the wrapper's; a heartbeat that cannot be delivered is reported on stderr
 * and never stops or fails the job.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants } from 'node:os';
import { type HeartbeatTarget, type SendOptions, type SendResult, sendHeartbeat } from './heartbeat-client.ts';

export interface RunJobOptions extends SendOptions {
  log?: (line: string) => void;
  /** Told the command's pid once it has started (the run lock records it). */
  onSpawn?: (pid: number) => void | Promise<void>;
  /**
   * Asked with the answer to `start`: a reason not to run after all (the worker says this node is
   * behind the store's epoch), or null. A vetoed run sends `skipped` with the reason and returns 0.
   */
  vetoStart?: (sent: SendResult) => string | null;
}

/** One id for a run: the worker pairs its start and end, and no two heartbeats are alike. */
export const newRunId = () => `${new Date().toISOString().slice(0, 19)}-${randomBytes(4).toString('hex')}`;

export const jobLogger = (job: string) => (line: string) => console.error(`[mirrorwatch job ${job}] ${line}`);

export async function runJob(target: HeartbeatTarget, command: string[], options: RunJobOptions = {}): Promise<number> {
  const log = options.log ?? jobLogger(target.job);
  const [program, ...args] = command;
  if (!program) throw new Error('no command to run');
  const run = newRunId();
  const report = async (event: 'start' | 'success' | 'fail' | 'skipped', message: string | null) => {
    const sent = await sendHeartbeat(target, event, message, run, options);
    if (!sent.ok) log(`could not send the ${event} heartbeat: ${sent.error}`);
    return sent;
  };
  const started = await report('start', null);
  const veto = options.vetoStart ? options.vetoStart(started) : null;
  if (veto !== null) {
    log(`not running: ${veto}`);
    await report('skipped', veto);
    return 0;
  }
  const startedAt = Date.now();
  const outcome = await new Promise<{ code: number; why: string }>((resolve) => {
    const child = spawn(program, args, { stdio: 'inherit' });
    if (child.pid !== undefined && options.onSpawn) {
      Promise.resolve(options.onSpawn(child.pid)).catch((err: unknown) =>
        log(`could not record the command's pid: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    child.on('error', (err) => resolve({ code: 127, why: `could not start ${program}: ${err.message}` }));
    child.on('exit', (code, signal) =>
      resolve(
        signal
          ? { code: 128 + (constants.signals[signal] ?? 15), why: `killed by ${signal}` }
          : { code: code ?? 1, why: `exit code ${code ?? '?'}` },
      ),
    );
  });
  const took = `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
  if (outcome.code === 0) await report('success', `took ${took}`);
  else await report('fail', `${outcome.why} after ${took}`);
  return outcome.code;
}
