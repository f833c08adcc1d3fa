import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { JobRecord } from '#shared/schedules/heartbeat.ts';
import { FLEET_MIGRATIONS } from '#worker/fleet/schema.ts';
import { fleetStub } from '#worker/fleet/stub.ts';
import { MONITOR_MIGRATIONS } from '#worker/monitor/schema.ts';
import { monitorStub } from '#worker/monitor/stub.ts';
import { applySteps, type Migrations, migrate } from '#worker/storage/migrations.ts';
import { unique } from './support.ts';

/** Tables and indexes as SQLite records them (whitespace folded), and how many steps were applied. */
function schemaOf(storage: DurableObjectStorage) {
  const objects = storage.sql
    .exec(
      "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .toArray()
    .map((r) => ({ ...r, sql: String(r.sql ?? '').replace(/\s+/g, ' ') }));
  const applied = storage.sql.exec('SELECT applied FROM schema_steps').toArray();
  return { objects, applied };
}

/** Wipes the object's database and gives it the first `k` steps, as a database created at that version. */
function atStep(storage: DurableObjectStorage, m: Migrations, k: number): void {
  storage.sql.exec(
    'CREATE TABLE IF NOT EXISTS schema_steps (id INTEGER PRIMARY KEY CHECK (id = 1), applied INTEGER NOT NULL)',
  );
  storage.sql.exec('INSERT INTO schema_steps (id, applied) VALUES (1, 0)');
  applySteps(storage, m, 0, k);
}

/** The single DDL blob monitors ran before the migration list (deployed at schema_version 4). */
const OLD_MONITOR_DDL = `
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS events (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, type TEXT NOT NULL, status TEXT, message TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS failover_records (id TEXT PRIMARY KEY, decided_at INTEGER NOT NULL, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS minute_rollups (minute INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS day_rollups (day INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS probe_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, endpoint TEXT NOT NULL, ok INTEGER NOT NULL, error TEXT);
    CREATE TABLE IF NOT EXISTS alert_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, message TEXT NOT NULL,
      attempts INTEGER NOT NULL, next_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS job_state (id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS job_runs (
      id INTEGER PRIMARY KEY AUTOINCREMENT, job TEXT NOT NULL, at INTEGER NOT NULL, event TEXT NOT NULL, message TEXT);
    CREATE INDEX IF NOT EXISTS job_runs_by_job ON job_runs (job, id);
    ALTER TABLE job_runs ADD COLUMN run TEXT;
    CREATE INDEX IF NOT EXISTS events_by_type ON events (type, id);
  `;

const OLD_FLEET_DDL = `
    CREATE TABLE IF NOT EXISTS config (id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS summaries (store_id TEXT PRIMARY KEY, status TEXT NOT NULL, uptime TEXT) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS public_history (store_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS pending_removals (store_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS used_signatures (sig TEXT PRIMARY KEY, expires_at INTEGER NOT NULL) WITHOUT ROWID;
  `;

function oldScheme(storage: DurableObjectStorage, ddl: string, version: number): void {
  storage.sql.exec(ddl);
  storage.sql.exec('CREATE TABLE schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
  storage.sql.exec('INSERT INTO schema_version (id, version) VALUES (1, ?)', version);
}

const objects = [
  {
    name: 'StoreMonitor',
    stub: () => monitorStub(env, unique('st')),
    m: MONITOR_MIGRATIONS,
    ddl: OLD_MONITOR_DDL,
    v: 4,
  },
  { name: 'Fleet', stub: () => fleetStub(env, unique('fleet')), m: FLEET_MIGRATIONS, ddl: OLD_FLEET_DDL, v: 2 },
];

describe.each(objects)("the $name's SQLite schema", ({ stub, m, ddl, v }) => {
  it('a database created at every earlier step is walked to the current schema, equal to a fresh one', async () => {
    const results = await runInDurableObject(stub(), async (_o, state) => {
      const fresh = schemaOf(state.storage);
      const walked = [];
      for (let k = 0; k <= m.steps.length; k++) {
        await state.storage.deleteAll();
        atStep(state.storage, m, k);
        migrate(state.storage, m);
        walked.push({ k, schema: schemaOf(state.storage) });
      }
      return { fresh, walked };
    });
    expect(results.fresh.applied).toEqual([{ applied: m.steps.length }]);
    for (const { schema } of results.walked) expect(schema).toEqual(results.fresh);
  });

  it(`a database deployed at old schema_version ${v} is taken as up to date, not migrated again`, async () => {
    const results = await runInDurableObject(stub(), async (_o, state) => {
      const fresh = schemaOf(state.storage);
      await state.storage.deleteAll();
      oldScheme(state.storage, ddl, v);
      migrate(state.storage, m); // an ALTER re-run would throw "duplicate column name"
      const first = schemaOf(state.storage);
      migrate(state.storage, m); // and the next wake is a no-op
      return { fresh, first, again: schemaOf(state.storage) };
    });
    expect(results.first).toEqual(results.fresh);
    expect(results.again).toEqual(results.fresh);
  });

  it('a step that fails leaves the database at the step before it, and says which', async () => {
    const broken: Migrations = { ...m, steps: [...m.steps, 'CREATE TABLE schema_steps (x TEXT)'] };
    const results = await runInDurableObject(stub(), (_o, state) => {
      let error = '';
      try {
        migrate(state.storage, broken);
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      return { error, schema: schemaOf(state.storage) };
    });
    expect(results.error).toContain(`migration step ${m.steps.length + 1} of ${m.steps.length + 1} failed`);
    expect(results.schema.applied).toEqual([{ applied: m.steps.length }]);
  });
});

describe("a monitor's SQLite schema", () => {
  it('a database from old version 3 (job runs without their run id) keeps its rows and gains the column', async () => {
    const stubbed = monitorStub(env, unique('st'));
    const rows = await runInDurableObject(stubbed, async (_m, state) => {
      const sql = state.storage.sql;
      await state.storage.deleteAll();
      oldScheme(state.storage, OLD_MONITOR_DDL, 3);
      sql.exec("INSERT INTO job_runs (job, at, event, message, run) VALUES ('j', 1, 'start', null, 'r1')");
      sql.exec('ALTER TABLE job_runs DROP COLUMN run');
      migrate(state.storage, MONITOR_MIGRATIONS);
      return sql.exec('SELECT job, run FROM job_runs').toArray();
    });
    expect(rows).toEqual([{ job: 'j', run: null }]); // kept, with no run id
  });
});

describe("a monitor's job history across step 5 (the node of each run)", () => {
  it('rows and job records from before keep their runs, with no node, and read as before', async () => {
    const stubbed = monitorStub(env, unique('st'));
    const result = await runInDurableObject(stubbed, async (_m, state) => {
      const sql = state.storage.sql;
      await state.storage.deleteAll();
      atStep(state.storage, MONITOR_MIGRATIONS, 4);
      sql.exec("INSERT INTO job_runs (job, at, event, message, run) VALUES ('sync', 1, 'success', 'ok', 'r1')");
      const before = { since: 0, lastStart: null, lastSuccess: 1, lastFail: null, lastMessage: 'ok' };
      sql.exec("INSERT INTO job_state (id, record) VALUES ('sync', ?)", JSON.stringify(before));
      migrate(state.storage, MONITOR_MIGRATIONS);
      const rows = sql.exec('SELECT job, run, node, epoch FROM job_runs').toArray();
      const record = JobRecord.parse(JSON.parse(String(sql.exec('SELECT record FROM job_state').one().record)));
      return { rows, record };
    });
    expect(result.rows).toEqual([{ job: 'sync', run: 'r1', node: null, epoch: null }]);
    expect(result.record).toMatchObject({ lastSuccess: 1, lastNode: null, nodeRuns: [] });
  });
});

describe("the Fleet's schema across step 4 (incident notes)", () => {
  it('a Fleet at step 3 keeps its config and audit rows, gains the notes table, and can store a note', async () => {
    const result = await runInDurableObject(fleetStub(env, unique('fleet')), async (_f, state) => {
      const sql = state.storage.sql;
      await state.storage.deleteAll();
      atStep(state.storage, FLEET_MIGRATIONS, 3);
      sql.exec("INSERT INTO config (id, json, updated_at) VALUES (1, '{}', 1)");
      sql.exec('INSERT INTO audit (at, json) VALUES (1, ?)', '{"kept":true}');
      migrate(state.storage, FLEET_MIGRATIONS);
      sql.exec(
        "INSERT INTO incident_notes (incident, store, at, json) VALUES ('s.outage.20261121T000000Z', 's', 2, '{}')",
      );
      return {
        config: sql.exec('SELECT count(*) AS n FROM config').one().n,
        audit: sql.exec('SELECT json FROM audit').toArray(),
        notes: sql.exec('SELECT store, at FROM incident_notes').toArray(),
      };
    });
    expect(result).toEqual({ config: 1, audit: [{ json: '{"kept":true}' }], notes: [{ store: 's', at: 2 }] });
  });
});
