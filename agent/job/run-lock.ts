/**
 * One run of a job at a time on this host (the seeds' `NumActive` check): a lock file per store
 * and job, created exclusively, holding the wrapper's pid and, once started, the command's. A run
 * that crashed cannot leave it behind for ever: a lock whose processes are all gone is stale and
 * is taken over. While either process lives the lock holds, so a command orphaned by a killed
 * wrapper still keeps the next run from overlapping it. The file is written whole beside the lock
 * and linked (taken) or renamed (updated) into place, so no reader ever sees it half-written.
 *
 * Known limits: two starts that find the same stale lock at the same instant could both take it
 * over (cron starts a job once a minute at most, and a stale lock is rare); and a crashed run's pid
 * reused by another process holds the lock until that process ends (each refused start says which
 * pid, and the monitor's late alert says the job is not running).
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const LockFile = z.object({ pid: z.number().int(), child: z.number().int().nullable(), since: z.string() });
type LockFile = z.infer<typeof LockFile>;

export type LockResult =
  | { ok: true; lock: RunLock }
  | { ok: false; reason: string }
  /** The lock file could not be read or written: the run must not start blind. */
  | { ok: false; error: string };

export interface RunLock {
  path: string;
  /** Records the command's pid, so the lock holds while it runs even if the wrapper dies. */
  started(child: number): Promise<void>;
  release(): Promise<void>;
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;

async function readLock(path: string): Promise<LockFile | null> {
  try {
    const parsed = LockFile.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return null;
    if (err instanceof SyntaxError) return null; // not a lock this wrapper wrote: stale
    throw err;
  }
}

export function lockPath(dir: string, store: string, job: string): string {
  return join(dir, `${store}.${job}.lock`);
}

export async function acquireRunLock(dir: string, store: string, job: string, pid = process.pid): Promise<LockResult> {
  const path = lockPath(dir, store, job);
  const since = new Date().toISOString();
  const draft = async (child: number | null) => {
    const tmp = `${path}.${pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(tmp, JSON.stringify({ pid, child, since } satisfies LockFile), { mode: 0o600 });
    return tmp;
  };
  const lock: RunLock = {
    path,
    started: async (child) => rename(await draft(child), path),
    release: () => rm(path, { force: true }),
  };
  let tmp: string | null = null;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    tmp = await draft(null);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await link(tmp, path);
        return { ok: true, lock };
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') throw err;
      }
      const held = await readLock(path);
      const live = held ? [held.pid, held.child].filter((p): p is number => p !== null && alive(p)) : [];
      if (held && live.length > 0)
        return {
          ok: false,
          reason: `a previous run (pid ${live.join(', ')}, since ${held.since}) is still going on this host`,
        };
      await rm(path, { force: true }); // stale: its run is gone
    }
    return { ok: false, reason: `another start took the lock ${path} at the same moment` };
  } catch (err) {
    return { ok: false, error: `the run lock ${path}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    if (tmp !== null) await rm(tmp, { force: true });
  }
}
