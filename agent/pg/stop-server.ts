/**
 * The hard stop behind a self-fence that could not be applied in time (agent/lease/apply-bound.ts):
 * SIGQUIT to the postmaster named in `<dataDir>/postmaster.pid`, PostgreSQL's immediate shutdown,
 * which ends every session at once. The agent must run as the server's user (or root) for it; the
 * read-only setting is already on disk, so the server comes back fenced.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What happened, for the log; never throws. */
export async function stopServerNow(dataDir: string | null): Promise<string> {
  if (!dataDir) return 'cannot stop the server: its data directory is unknown (set database.dataDir)';
  const file = join(dataDir, 'postmaster.pid');
  try {
    const pid = Number((await readFile(file, 'utf8')).split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0) return `cannot stop the server: ${file} names no process`;
    process.kill(pid, 'SIGQUIT');
    return `server stopped (SIGQUIT to postmaster ${pid}, immediate shutdown)`;
  } catch (error) {
    return `cannot stop the server through ${file}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
