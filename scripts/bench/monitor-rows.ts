/**
 * What the store monitors have stored, read from outside: `wrangler dev` keeps each Durable
 * Object's SQLite database under <state>/v3/do/<script>-<class>/. Files are copied first (database
 * and write-ahead log) and the copies opened, so the running workerd is never touched.
 *
 * Row counts of two snapshots give the rows the monitors inserted in between. Rows overwritten in
 * place or deleted do not show; in steady state a healthy monitor only appends (one minute rollup
 * a minute), and its retention deletes, which start after 48 h, are modelled instead (cost.ts).
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Db {
  prepare(sql: string): { all(): unknown[]; get(): unknown };
  close(): void;
}
type DatabaseSyncCtor = new (path: string, options?: { readOnly?: boolean }) => Db;

let ctor: DatabaseSyncCtor | null = null;
async function database(): Promise<DatabaseSyncCtor> {
  if (!ctor) {
    // Node 22's built-in SQLite (still flagged experimental: one warning on first use).
    const name = 'node:sqlite';
    ctor = ((await import(name)) as { DatabaseSync: DatabaseSyncCtor }).DatabaseSync;
  }
  return ctor;
}

export interface RowSnapshot {
  /** Database file → table → rows. */
  files: Map<string, Map<string, number>>;
  /** Mean bytes of one minute rollup's JSON (the monitor's dominant table), or null if none yet. */
  minuteRowBytes: number | null;
  /** Bytes on disk of the databases (file plus write-ahead log). */
  bytes: number;
}

export function monitorDir(stateDir: string): string {
  const root = join(stateDir, 'v3', 'do');
  const dir = readdirSync(root).find((d) => d.endsWith('-StoreMonitor'));
  if (!dir) throw new Error(`no StoreMonitor state under ${root}`);
  return join(root, dir);
}

/** Row counts of `names` (all monitor databases when omitted). */
export async function snapshotRows(stateDir: string, names?: readonly string[]): Promise<RowSnapshot> {
  const Database = await database();
  const dir = monitorDir(stateDir);
  const list = names ?? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  const tmp = mkdtempSync(join(tmpdir(), 'mirrorwatch-rows-'));
  const files = new Map<string, Map<string, number>>();
  let bytes = 0;
  let minuteBytes = 0;
  let minuteRows = 0;
  try {
    for (const name of list) {
      const src = join(dir, name);
      if (!existsSync(src)) continue;
      copyFileSync(src, join(tmp, name));
      bytes += statSync(src).size;
      if (existsSync(`${src}-wal`)) {
        copyFileSync(`${src}-wal`, join(tmp, `${name}-wal`));
        bytes += statSync(`${src}-wal`).size;
      }
      const db = new Database(join(tmp, name));
      try {
        const tables = db
          .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE '\\_\\_%' ESCAPE '\\'",
          )
          .all() as Array<{ name: string }>;
        const counts = new Map<string, number>();
        for (const { name: table } of tables) {
          counts.set(table, (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n);
        }
        if (counts.has('minute_rollups')) {
          const m = db.prepare('SELECT count(*) AS n, sum(length(data)) AS b FROM minute_rollups').get() as {
            n: number;
            b: number | null;
          };
          minuteRows += m.n;
          minuteBytes += m.b ?? 0;
        }
        files.set(name, counts);
      } finally {
        db.close();
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { files, minuteRowBytes: minuteRows > 0 ? minuteBytes / minuteRows : null, bytes };
}

/** Rows added per table between two snapshots of the same files. */
export function rowsAdded(before: RowSnapshot, after: RowSnapshot): Map<string, number> {
  const added = new Map<string, number>();
  for (const [file, tables] of after.files) {
    const was = before.files.get(file);
    if (!was) continue;
    for (const [table, n] of tables) added.set(table, (added.get(table) ?? 0) + n - (was.get(table) ?? 0));
  }
  return added;
}
