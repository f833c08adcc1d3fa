/**
 * CLI: the store agent next to a PostgreSQL node (or, with `role: "arbiter"`, the arbiter).
 *
 *   MIRRORWATCH_ACTION_KEY=… MIRRORWATCH_PUSH_KEY=… npm run agent -- --config agent.json [flags]
 *
 * Serves `GET /health` and `POST /actions` (docs/PROTOCOL.md sections 3 and 5); with `push` configured it
 * also POSTs its report to the worker. It holds only its own keys (`npm run keys`), never a master
 * secret. See agent/config.ts for the file and flags. Wiring only.
 */
import { arbiterBackend } from './arbiter-backend.ts';
import type { Backend } from './backend.ts';
import { type AgentSettings, ConfigError, loadAgentSettings, USAGE } from './config.ts';
import type { LeaseIntake } from './lease/lease-intake.ts';
import type { SelfFenceKeeper } from './lease/self-fence-keeper.ts';
import { DurableLedger } from './ledger-file.ts';
import { PgBackend } from './pg/backend.ts';
import { startPgSelfFence } from './pg/self-fence-host.ts';
import { type PushLoop, startPushLoop } from './push.ts';
import { createResourceSampler } from './resources.ts';
import { type AgentServer, startAgentServer } from './server.ts';
import { parseAddress } from './tcp-probe.ts';

function logger(prefix: string): (line: string) => void {
  return (line) => console.log(`${new Date().toISOString()} [${prefix}] ${line}`);
}

interface Running {
  backend: Backend;
  stateDir: string | null;
  /** Database nodes: where leases from probes and push answers go. */
  leases: LeaseIntake | null;
  stop(): Promise<void>;
}

async function backendFor(settings: AgentSettings, log: (line: string) => void): Promise<Running> {
  const { config } = settings;
  const resources = config.resources ? createResourceSampler() : null;
  if (config.role === 'arbiter') {
    if (!config.arbiter) throw new ConfigError('arbiter: required when role is "arbiter"');
    const nodes = config.arbiter.nodes.map((n) => ({
      id: n.id,
      url: n.url,
      tcp: n.tcp ? (parseAddress(n.tcp) ?? undefined) : undefined,
    }));
    const backend = arbiterBackend({ name: config.node, nodes, timeoutMs: config.arbiter.timeoutMs, resources, log });
    return { backend, stateDir: null, leases: null, stop: async () => undefined };
  }
  const db = config.database;
  if (!db || !config.stateDir) throw new ConfigError('database and stateDir: required when role is "database"');
  const target = { host: db.host, port: db.port, user: db.user, dbname: db.dbname, password: settings.dbPassword };
  let keeper: SelfFenceKeeper | null = null;
  const backend = await PgBackend.open({
    onPromoted: (epoch) => keeper?.notePromoted(epoch),
    node: config.node,
    db: target,
    stateDir: config.stateDir,
    timeoutMs: db.timeoutMs,
    promoteWaitSeconds: db.promoteWaitSeconds,
    dataDir: db.dataDir,
    resources,
    log,
  });
  await backend.start();
  const fencing = config.selfFence;
  const started = startPgSelfFence({
    backend,
    db: target,
    timeoutMs: db.timeoutMs,
    settings: fencing,
    keys: settings.actionKeys,
    store: config.store,
    node: config.node,
    log,
  });
  keeper = started.keeper;
  const running = started.keeper;
  log(
    fencing.enabled
      ? `self-fencing on: as primary, fences itself after ${fencing.leaseSeconds} s with neither a lease nor a standby reply`
      : 'self-fencing off (selfFence: false): as primary, keeps taking writes when cut off from the edge and its standby',
  );
  return {
    backend,
    stateDir: config.stateDir,
    leases: started.leases,
    stop: async () => {
      backend.stop();
      await running.stop();
    },
  };
}

async function main(): Promise<void> {
  const settings = await loadAgentSettings(process.argv.slice(2), process.env);
  if (settings === 'help') {
    console.log(USAGE);
    return;
  }
  const { config } = settings;
  const log = logger(`${config.role === 'arbiter' ? 'arbiter' : 'agent'} ${config.store}/${config.node}`);
  const running = await backendFor(settings, log);
  const { backend, leases } = running;
  const server: AgentServer = await startAgentServer({
    leases,
    backend,
    store: config.store,
    node: config.node,
    actions: running.stateDir
      ? { keys: settings.actionKeys, ledger: await DurableLedger.open(running.stateDir) }
      : null,
    host: config.listen.host,
    port: config.listen.port,
    log,
  });
  log(
    `listening on ${config.listen.host}:${server.port} (GET /health${config.role === 'database' ? ', POST /actions' : ''})`,
  );
  if (config.listen.host === '0.0.0.0' || config.listen.host === '::') {
    log(
      'listening on every interface: set listen.host to the one the worker reaches and firewall the port (README, "Listen address")',
    );
  }

  let push: PushLoop | null = null;
  const [pushKey] = settings.push?.keys ?? [];
  if (config.push && settings.push && pushKey) {
    push = startPushLoop({
      url: config.push.url,
      key: pushKey,
      principal: settings.push.principal,
      intervalMs: config.push.intervalSeconds * 1000,
      report: async () => {
        const report = await backend.report();
        return leases ? leases.decorate(report) : report;
      },
      onAnswer: leases ? (body) => leases.fromPushAnswer(body, `push answer from ${config.push?.url}`) : undefined,
      log,
    });
    log(`pushing reports to ${config.push.url} every ${config.push.intervalSeconds} s as ${settings.push.principal}`);
  }

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    log(`${signal}: shutting down`);
    Promise.all([running.stop(), push?.stop(), server.close()]).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[agent] ${error instanceof Error ? error.message : String(error)}`);
  if (error instanceof ConfigError) console.error(USAGE);
  process.exit(1);
});
