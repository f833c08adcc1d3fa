/**
 * One short-lived connection per question. A report every few seconds costs a loopback handshake,
 * and in exchange there is no pooled connection to go stale when the server is killed, fenced
 * (which terminates sessions) or restarted. Every step is bounded by `timeoutMs`.
 *
 * The backend pid of every connection open here is kept per server (`agentSessionPids`), so a fence
 * ends every client session but never the agent's own: a fence that ended the connection of a
 * self-fence under way (or of a report) would fail its own apply. Pids, not `application_name`,
 * which any client could claim to escape the fence.
 */
import pg from 'pg';

export interface DbTarget {
  host: string;
  port: number;
  user: string;
  dbname: string;
  /** Absent: libpq's usual sources (PGPASSWORD, ~/.pgpass) through node-postgres' defaults. */
  password?: string;
}

export const AGENT_APPLICATION_NAME = 'mirrorwatch-agent';

const openPids = new Map<string, Set<number>>();
const serverOf = (target: DbTarget) => `${target.host}:${target.port}`;

/** The backend pids of the agent's connections to `target` open right now. */
export function agentSessionPids(target: DbTarget): number[] {
  return [...(openPids.get(serverOf(target)) ?? [])];
}

export async function withClient<T>(
  target: DbTarget,
  timeoutMs: number,
  task: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.dbname,
    password: target.password,
    application_name: AGENT_APPLICATION_NAME,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // A server that dies under an open connection emits 'error' on the client; unhandled, it would
  // end the process. The pending query rejects on its own, so nothing else is needed here.
  client.on('error', () => undefined);
  let pids: Set<number> | null = null;
  let pid: unknown = null;
  try {
    await client.connect();
    // node-postgres keeps the server's BackendKeyData pid here (untyped in @types/pg).
    pid = Reflect.get(client, 'processID');
    if (typeof pid === 'number') {
      pids = openPids.get(serverOf(target)) ?? new Set();
      openPids.set(serverOf(target), pids);
      pids.add(pid);
    }
    return await task(client);
  } finally {
    await client.end().catch(() => undefined);
    if (pids && typeof pid === 'number') pids.delete(pid);
  }
}

/** A database error's message with its SQLSTATE, for logs and action answers. */
export function dbErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
  return `${error.message}${code}`;
}
