/**
 * `npm start`: the whole product on one machine. Starts a simulated fleet of stores (one HTTP
 * port for every node, arbiter and active endpoint), the worker under `wrangler dev`, pushes the
 * demo fleet config, and prints where to look. Ctrl-C stops everything it started.
 *
 * The worker's monitors keep their state in `.wrangler/state` across runs; the simulator's stores
 * (who is primary, at which epoch) are kept in `.dev.sim.json` as they change, so a restarted demo
 * picks up where it stopped. `--fresh` starts both from scratch.
 */

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { demoStoreSpecs, fleetConfigFor } from '#sim/demo-fleet.ts';
import { DEMO_JOB, startDemoJobs, withDemoJob } from '#sim/demo-jobs.ts';
import { FleetSim } from '#sim/fleet-sim.ts';
import { startSimServer } from '#sim/server.ts';
import { savedBaselines, writeDemoFile } from './demo/demo-file.ts';
import { loadOrCreateDevVars } from './demo/dev-vars.ts';
import { putConfig, startWorker, waitForWorker } from './demo/stack.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'sim-port': { type: 'string', default: '8700' },
    stores: { type: 'string', default: '8' },
    fresh: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const simPort = Number(values['sim-port']);
const stores = Number(values.stores);

const { secrets, created } = loadOrCreateDevVars('.dev.vars');
const controlToken = randomBytes(12).toString('base64url');

// wrangler dev's default state directory: every Durable Object's SQLite lives under it.
if (values.fresh) rmSync('.wrangler/state', { recursive: true, force: true });
const baselines = values.fresh ? {} : savedBaselines();
const resumed = Object.keys(baselines).length > 0;

const specs = demoStoreSpecs({ stores });
let saveQueued = false;
let simUrl = '';
const sim = new FleetSim(specs, {
  baselines,
  log: (line) => {
    console.log(`[sim] ${line}`);
    // A line is a change (a fault, a promotion, a fence): keep the stores' baselines current.
    if (!saveQueued && simUrl) {
      saveQueued = true;
      setImmediate(saveDemo);
    }
  },
});
const simServer = await startSimServer({
  sim,
  webhookSecret: secrets.WEBHOOK_SECRET,
  controlToken,
  host: '127.0.0.1',
  port: simPort,
});
simUrl = simServer.url;
function saveDemo(): void {
  saveQueued = false;
  writeDemoFile({ url: simUrl, controlToken, stores: sim.baselines() });
}
saveDemo();

const worker = startWorker({ port, log: (line) => console.log(`[worker] ${line}`) });
// The extension builds while the worker starts; the demo runs without it if the build fails.
const extensionBuild = promisify(execFile)(process.execPath, [
  fileURLToPath(new URL('../node_modules/wxt/bin/wxt.mjs', import.meta.url)),
  'build',
  'extension',
]).then(
  () => null,
  (err: unknown) => (err instanceof Error ? err.message.split('\n')[0] : String(err)),
);
const base = worker.base;

const first = specs[0];
let demoJobs: { stop(): void } | null = null;

let stopping = false;
async function stop(code: number): Promise<never> {
  stopping = true;
  demoJobs?.stop();
  worker.stop();
  await simServer.close();
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
worker.process.on('exit', (code) => {
  if (!stopping) {
    console.error(`[demo] wrangler dev exited (${code}); stopping the demo`);
    void stop(1);
  }
});

try {
  await waitForWorker(base);
  const config = fleetConfigFor(specs, simServer.url);
  await putConfig(base, secrets.ADMIN_TOKEN, first ? withDemoJob(config, first.id) : config);
  // The store's primary-only sync, installed on each of its nodes, from the first minute the config is in.
  if (first)
    demoJobs = startDemoJobs({
      worker: base,
      simUrl: simServer.url,
      store: first.id,
      nodes: first.nodes.map((n) => n.id),
      hookSecret: secrets.HOOK_SECRET,
      log: (line) => console.log(`[job] ${line}`),
    });
} catch (err) {
  console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
  await stop(1);
}

const extensionError = await extensionBuild;
const extensionLine =
  extensionError === null
    ? `chrome://extensions → Developer mode → Load unpacked → extension/.output/chrome-mv3
                   then in its options: server ${base}, token ${secrets.OPERATOR_TOKEN}`
    : `not built (${extensionError}); npm run build:extension to retry`;
const firstId = first?.id ?? 'STORE';
console.log(`
mirrorwatch is running on a demo fleet of ${specs.length} stores${created ? ' (demo secrets written to .dev.vars)' : ' (secrets from your .dev.vars)'}.${resumed ? '\nIt carries on from the last run (monitors in .wrangler/state, stores in .dev.sim.json); npm start -- --fresh starts clean.' : ''}

  Status page      ${base}/status
  Public JSON      ${base}/api/v1/public/status
  API              curl -H 'Authorization: Bearer ${secrets.VIEWER_TOKEN}' ${base}/api/v1/stores
  Tokens           viewer   ${secrets.VIEWER_TOKEN}
                   operator ${secrets.OPERATOR_TOKEN}
                   admin    ${secrets.ADMIN_TOKEN}
  Simulator        ${simServer.url}/control/state (Authorization: Bearer ${controlToken})
  Extension        ${extensionLine}

  Inject a fault   npm run demo:fault -- ${firstId} crash        (crash the primary)
                   npm run demo:fault -- ${firstId} wan-cut      (cut the store off from the edge)
                   npm run demo:fault -- ${firstId} lag 45       (standby lag of 45 s)
                   npm run demo:fault -- ${firstId} disk 95      (the primary's disk fills: a resource warning)
                   npm run demo:fault -- ${firstId} restore      (the crashed node is back; after a failover it returns fenced)
                   npm run demo:fault -- ${firstId} reinstate ${firstId}-a   (a fenced old primary rejoins as a standby)
                   npm run demo:fault -- ${firstId} reset        (every fault cleared, same primary and epoch)
                   npm run demo:fault                          (every fault it knows)
  Maintenance      curl -X POST -H 'Authorization: Bearer ${secrets.OPERATOR_TOKEN}' -H 'Content-Type: application/json' \\
                     -d '{"reason":"demo","minutes":10}' ${base}/api/v1/stores/${firstId}/maintenance
  Store's log      curl -H 'Authorization: Bearer ${secrets.VIEWER_TOKEN}' '${base}/api/v1/stores/${firstId}/events?type=status,maintenance'
  Agent keys       npm run keys -- ${firstId} ${firstId}-a     (what a real agent on that node would be given; never the masters)
  Primary-only job ${DEMO_JOB.id} on every node of ${firstId}, each minute ([job] lines); after a crash it moves:
                   curl -H 'Authorization: Bearer ${secrets.VIEWER_TOKEN}' ${base}/api/v1/stores/${firstId}/jobs/${DEMO_JOB.id}/runs

Press Ctrl-C to stop.
`);
