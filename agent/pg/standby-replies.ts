/**
 * When the primary last heard from a standby, judged by `pg_stat_replication.reply_time`, polled;
 * never by an open connection (a walsender whose standby went silent lingers for
 * `wal_sender_timeout`). The rule is `#shared/lease/self-fence.ts`'s: a standby whose `reply_time`
 * changed since the previous poll (or that appeared since) replied after that poll, so its reply
 * is dated at the previous poll's time, the earlier bound. The first poll dates nothing.
 *
 * Only physical standbys count: a logical subscriber (its walsender is connected to a database) and
 * a base backup are not standbys the monitor could promote, and neither are `pg_receivewal` /
 * `pg_basebackup` by their default names. A WAL archiver streaming under another name would count:
 * list the standbys' names in `countedStandbys` to count only them.
 */
import type pg from 'pg';
import { z } from 'zod';

export const STANDBY_REPLIES_SQL = `
SELECT r.pid, r.application_name AS name, r.reply_time::text AS reply_time
  FROM pg_stat_replication r
  JOIN pg_stat_activity a ON a.pid = r.pid
 WHERE a.datname IS NULL
   AND r.state IS DISTINCT FROM 'backup'
   AND r.reply_time IS NOT NULL
   AND r.application_name NOT IN ('pg_receivewal', 'pg_basebackup')`;

const ReplyRow = z.object({ pid: z.number().int(), name: z.string(), reply_time: z.string() });
export type ReplyRow = z.infer<typeof ReplyRow>;

export async function readStandbyReplies(client: pg.Client): Promise<ReplyRow[]> {
  return (await client.query(STANDBY_REPLIES_SQL)).rows.map((row) => ReplyRow.parse(row));
}

export interface ReplyTracker {
  /** Monotonic ms of the last successful poll, and what it saw (`pid:name` → reply_time). */
  lastPoll: { at: number; seen: ReadonlyMap<string, string> } | null;
  /** When the freshest reply was received, by the rule above; null when none is known. */
  replyAt: number | null;
}

export const NO_REPLIES: ReplyTracker = { lastPoll: null, replyAt: null };

/**
 * The tracker after a successful poll at `at`. `counted`: when given, only standbys of these
 * `application_name`s count. A failed poll changes nothing: the next one dates against the last
 * that succeeded, earlier still.
 */
export function nextReplies(
  prev: ReplyTracker,
  at: number,
  rows: readonly ReplyRow[],
  counted?: readonly string[],
): ReplyTracker {
  const seen = new Map<string, string>();
  for (const row of rows) {
    if (counted && !counted.includes(row.name)) continue;
    seen.set(`${row.pid}:${row.name}`, row.reply_time);
  }
  let replyAt = prev.replyAt;
  const before = prev.lastPoll;
  if (before !== null) {
    for (const [standby, time] of seen) {
      if (before.seen.get(standby) !== time) replyAt = Math.max(replyAt ?? before.at, before.at);
    }
  }
  return { lastPoll: { at, seen }, replyAt };
}
