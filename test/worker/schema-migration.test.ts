import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { ensureMonitorSchema } from '#worker/monitor/schema.ts';
import { monitorStub } from '#worker/monitor/stub.ts';
import { unique } from './support.ts';

describe("a monitor's SQLite schema", () => {
  it('a database from version 3 (job runs without their run id) is brought up to date on wake', async () => {
    const stub = monitorStub(env, unique('st'));
    const columns = await runInDurableObject(stub, (_m, state) => {
      const sql = state.storage.sql;
      sql.exec("INSERT INTO job_runs (job, at, event, message, run) VALUES ('j', 1, 'start', null, 'r1')");
      sql.exec('ALTER TABLE job_runs DROP COLUMN run');
      sql.exec('UPDATE schema_version SET version = 3');
      ensureMonitorSchema(sql);
      return sql
        .exec('PRAGMA table_info(job_runs)')
        .toArray()
        .map((c) => c.name);
    });
    expect(columns).toContain('run');
    const rows = await runInDurableObject(stub, (_m, state) =>
      state.storage.sql.exec('SELECT job, run FROM job_runs').toArray(),
    );
    expect(rows).toEqual([{ job: 'j', run: null }]); // kept, with no run id
  });
});
