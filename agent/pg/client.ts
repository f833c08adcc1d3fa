/**
 * One short-lived connection per question. A report every few seconds costs a loopback handshake,
 * and in exchange there is no pooled connection to go stale when the server is killed, fenced
 * (which terminates sessions) or restarted. Every step is bounded by `timeoutMs`.
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
  try {
    await client.connect();
    return await task(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database error's message with its SQLSTATE, for logs and action answers. */
export function dbErrorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
  return `${error.message}${code}`;
}
