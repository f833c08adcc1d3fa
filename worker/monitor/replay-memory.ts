/**
 * Replay memory for the signed requests of one store (docs/PROTOCOL.md section 4: a signature used
 * before for that store is refused). The hook route passes `<timestamp>:<sha256 of the body>` as the
 * key, so a request carrying two rotated signatures cannot be replayed with one of them. Rows are
 * kept until the signature would be refused as stale anyway, and pruned through an index on that
 * time, so a prune costs a lookup, not a scan.
 */
import { z } from 'zod';
import { write } from '../storage/sql.ts';

export const ConsumeInput = z.object({
  key: z.string().min(1).max(256),
  forgetAfterMs: z.number().int().nonnegative(),
  nowMs: z.number().int().nonnegative(),
});

/** True the first time `key` is seen while remembered; every call after it (until forgotten) is false. */
export function consumeOnce(sql: SqlStorage, input: z.infer<typeof ConsumeInput>): { fresh: boolean; rows: number } {
  let rows = write(sql, 'DELETE FROM used_signatures WHERE forget_at <= ?', input.nowMs);
  // Already past its forget time: it could not be fresh, and is not worth a row.
  if (input.forgetAfterMs <= input.nowMs) return { fresh: false, rows };
  const inserted = write(
    sql,
    'INSERT INTO used_signatures (key, forget_at) VALUES (?, ?) ON CONFLICT(key) DO NOTHING',
    input.key,
    input.forgetAfterMs,
  );
  rows += inserted;
  return { fresh: inserted > 0, rows };
}
