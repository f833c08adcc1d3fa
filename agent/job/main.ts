/**
 * CLI: `npm run job -- --worker URL --store ID --job ID [--primary-only] -- <command…>` runs a
 * scheduled job between heartbeats; with `--primary-only`, only on the store's serving primary
 * (./primary-only.ts). The job's token comes from MIRRORWATCH_JOB_TOKEN, or else requests are signed with the
 * job's own key in MIRRORWATCH_JOB_KEY (`npm run keys -- <store> job:<job id>`), never HOOK_SECRET.
 * Wiring only: see run-job.ts and job-credentials.ts.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jobCredentials } from './job-credentials.ts';
import { runPrimaryOnly } from './primary-only.ts';
import { runJob } from './run-job.ts';

const DEFAULT_AGENT = 'http://127.0.0.1:8008';
const DEFAULT_LOCK_DIR = join(tmpdir(), 'mirrorwatch-jobs');

const USAGE = `usage: npm run job -- --worker <url> --store <store id> --job <job id> [--primary-only] -- <command> [args…]
  the job's own token in MIRRORWATCH_JOB_TOKEN (its config's tokenSecret), or its own key in
  MIRRORWATCH_JOB_KEY (npm run keys -- <store id> job:<job id>)
  --primary-only      run only if the local agent says this node is the serving, unfenced primary;
                      elsewhere send "skipped" and exit 0; never while a previous run goes on here
                      (exit 75); exit 69 if the agent cannot be asked
  --agent <url>       the local agent (default ${DEFAULT_AGENT})
  --lock-dir <dir>    where the run lock lives (default ${DEFAULT_LOCK_DIR})`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = parseArgs({
  options: {
    worker: { type: 'string' },
    store: { type: 'string' },
    job: { type: 'string' },
    'primary-only': { type: 'boolean', default: false },
    agent: { type: 'string', default: DEFAULT_AGENT },
    'lock-dir': { type: 'string', default: DEFAULT_LOCK_DIR },
  },
  allowPositionals: true,
});
const { worker, store, job } = values;
if (!worker || !/^https?:\/\//.test(worker)) fail('--worker must be the worker’s http(s) URL');
if (!store || !job) fail('--store and --job are required');
if (positionals.length === 0) fail('no command given after --');
const credentials = jobCredentials(process.env, store, job);
if (!credentials.ok) fail(credentials.error);
if (!/^https?:\/\//.test(values.agent)) fail('--agent must be the local agent’s http URL');
const target = { worker, store, job, credentials: credentials.credentials };
process.exitCode = values['primary-only']
  ? await runPrimaryOnly(target, positionals, { agent: values.agent, lockDir: values['lock-dir'] })
  : await runJob(target, positionals);
