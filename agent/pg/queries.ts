/**
 * The SQL the PostgreSQL backend runs, and the shape each answer must have (parsed, never cast).
 * One status query serves both roles: on a primary the recovery functions return NULL and
 * `pg_stat_wal_receiver` is empty.
 */
import type pg from 'pg';
import { z } from 'zod';

export const STATUS_SQL = `
SELECT pg_is_in_recovery() AS in_recovery,
       current_setting('default_transaction_read_only') = 'on' AS read_only,
       current_setting('data_directory') AS data_directory,
       current_setting('synchronous_standby_names') AS synchronous_standby_names,
       current_setting('primary_conninfo') AS primary_conninfo,
       current_setting('cluster_name') AS cluster_name,
       CASE WHEN s.receive IS NULL OR s.replay IS NULL THEN NULL
            WHEN s.receive <= s.replay THEN 0
            ELSE extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())
       END::float8 AS lag_seconds,
       CASE WHEN s.receive IS NULL OR s.replay IS NULL THEN NULL
            ELSE greatest(pg_wal_lsn_diff(s.receive, s.replay), 0)
       END::float8 AS lag_bytes,
       s.receive::text AS receive_lsn,
       r.status AS receiver_status,
       r.sender_host,
       r.sender_port,
       r.conninfo AS receiver_conninfo
  FROM (SELECT pg_last_wal_receive_lsn() AS receive, pg_last_wal_replay_lsn() AS replay) s
  LEFT JOIN pg_stat_wal_receiver r ON true
 LIMIT 1`;

export const StatusRow = z.object({
  in_recovery: z.boolean(),
  read_only: z.boolean(),
  data_directory: z.string(),
  synchronous_standby_names: z.string(),
  primary_conninfo: z.string(),
  cluster_name: z.string(),
  lag_seconds: z.number().nullable(),
  lag_bytes: z.number().nullable(),
  receive_lsn: z.string().nullable(),
  receiver_status: z.string().nullable(),
  sender_host: z.string().nullable(),
  sender_port: z.number().int().nullable(),
  receiver_conninfo: z.string().nullable(),
});
export type StatusRow = z.infer<typeof StatusRow>;

/** On the primary: is the standby streaming under `name` synchronous? (`quorum` counts: it may confirm commits.) */
export const SYNC_STATE_SQL = `SELECT sync_state FROM pg_stat_replication WHERE lower(application_name) = lower($1)`;
const SyncStateRow = z.object({ sync_state: z.string().nullable() });

export const PROMOTE_SQL = 'SELECT pg_promote(true, $1::int) AS promoted';
const PromoteRow = z.object({ promoted: z.boolean() });

// The fence: new sessions start read-only (ALTER SYSTEM persists it across restarts), and every
// other client session, which may already be inside a read-write transaction, is ended, except the
// agent's own connections (by backend pid, $1: see client.ts), which only read and may be the very
// fence being applied.
export const FENCE_SQL = ['ALTER SYSTEM SET default_transaction_read_only = on', 'SELECT pg_reload_conf()'] as const;
export const TERMINATE_CLIENTS_SQL = `
SELECT count(pg_terminate_backend(pid))::int AS terminated
  FROM pg_stat_activity
 WHERE pid <> pg_backend_pid()
   AND NOT (pid = ANY($1::int[]))
   AND backend_type = 'client backend'`;
const TerminatedRow = z.object({ terminated: z.number().int() });

/** A promoted node must take writes even if it was once fenced on this data directory. */
export const UNFENCE_SQL = ['ALTER SYSTEM RESET default_transaction_read_only', 'SELECT pg_reload_conf()'] as const;

function one<T>(schema: z.ZodType<T>, rows: unknown[], what: string): T {
  const parsed = schema.safeParse(rows[0]);
  if (!parsed.success) throw new Error(`unexpected answer to the ${what} query: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export async function readStatus(client: pg.Client): Promise<StatusRow> {
  return one(StatusRow, (await client.query(STATUS_SQL)).rows, 'status');
}

export async function readSyncStates(client: pg.Client, name: string): Promise<string[]> {
  const rows = (await client.query(SYNC_STATE_SQL, [name])).rows;
  return rows.map((row) => SyncStateRow.parse(row).sync_state ?? '');
}

export async function promote(client: pg.Client, waitSeconds: number): Promise<boolean> {
  return one(PromoteRow, (await client.query(PROMOTE_SQL, [waitSeconds])).rows, 'pg_promote').promoted;
}

export async function writeFenceSetting(client: pg.Client): Promise<void> {
  for (const sql of FENCE_SQL) await client.query(sql);
}

/** Whether this session runs read-only by default now (a reload reaches it asynchronously). */
export async function sessionReadOnly(client: pg.Client): Promise<boolean> {
  const row = (await client.query("SELECT current_setting('default_transaction_read_only') AS v")).rows[0];
  return z.object({ v: z.string() }).parse(row).v === 'on';
}

/** Ends every other client session but the `spared` backend pids (the agent's own); returns how many. */
export async function terminateClients(client: pg.Client, spared: readonly number[]): Promise<number> {
  return one(TerminatedRow, (await client.query(TERMINATE_CLIENTS_SQL, [spared])).rows, 'terminate').terminated;
}

export async function liftFenceSetting(client: pg.Client): Promise<void> {
  for (const sql of UNFENCE_SQL) await client.query(sql);
}
