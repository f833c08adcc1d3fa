/**
 * CLI: `npm run job -- --worker URL --store ID --job ID -- <command…>` runs a scheduled job between
 * heartbeats. The job's token comes from MIRRORWATCH_JOB_TOKEN, or else requests are signed with the
 * job's own key in MIRRORWATCH_JOB_KEY (`npm run keys -- <store> job:<job id>`), never HOOK_SECRET.
 * Wiring only: see run-job.ts and job-credentials.ts.
 */
import { parseArgs } from 'node:util';
import { jobCredentials } from './job-credentials.ts';
import { runJob } from './run-job.ts';

const USAGE = `usage: npm run job -- --worker <url> --store <store id> --job <job id> -- <command> [args…]
  the job's own token in MIRRORWATCH_JOB_TOKEN (its config's tokenSecret), or its own key in
  MIRRORWATCH_JOB_KEY (npm run keys -- <store id> job:<job id>)`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: { worker: { type: 'string' }, store: { type: 'string' }, job: { type: 'string' } },
  allowPositionals: true,
});
const { worker, store, job } = values;
if (!worker || !/^https?:\/\//.test(worker)) fail('--worker must be the worker’s http(s) URL');
if (!store || !job) fail('--store and --job are required');
if (positionals.length === 0) fail('no command given after --');
const credentials = jobCredentials(process.env, store, job);
if (!credentials.ok) fail(credentials.error);
process.exitCode = await runJob({ worker, store, job, credentials: credentials.credentials }, positionals);
