/**
 * CLI: `npm run job -- --worker URL --store ID --job ID -- <command…>` runs a scheduled job between
 * heartbeats. The job's token comes from MIRRORWATCH_JOB_TOKEN, or else requests are signed with
 * HOOK_SECRET. Wiring only: see run-job.ts.
 */
import { parseArgs } from 'node:util';
import type { Credentials } from './heartbeat-client.ts';
import { runJob } from './run-job.ts';

const USAGE = `usage: npm run job -- --worker <url> --store <store id> --job <job id> -- <command> [args…]
  the job's own token in MIRRORWATCH_JOB_TOKEN (its config's tokenSecret), or HOOK_SECRET to sign`;

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
const token = process.env.MIRRORWATCH_JOB_TOKEN;
const secret = process.env.HOOK_SECRET;
const credentials: Credentials | null = token ? { kind: 'token', token } : secret ? { kind: 'signed', secret } : null;
if (!credentials) fail('set MIRRORWATCH_JOB_TOKEN or HOOK_SECRET');
process.exitCode = await runJob({ worker, store, job, credentials }, positionals);
