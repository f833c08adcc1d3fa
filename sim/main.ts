/**
 * CLI: serve a simulated fleet on one port and write the matching fleet config.
 *
 *   WEBHOOK_SECRET=… SIM_CONTROL_TOKEN=… node sim/main.ts --port 8700 --stores 8 \
 *     [--config-out fleet.json] [--host 127.0.0.1] [--seed 1] [--promote-delay-ms 300] [--wan-cut hang|reset]
 *     [--lease-seconds 15]   (self-fencing, contract section 6: on only with this flag until the
 *                             monitor sends leases, or every primary that loses its standby fences)
 *
 * The master secret and the control token come from the environment only: on a command line any
 * local user can read them. The simulator plays every node, so it may hold the master; each node
 * verifies its actions with its own key derived from it.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { demoStoreSpecs, fleetConfigFor } from './demo-fleet.ts';
import { FleetSim } from './fleet-sim.ts';
import { startSimServer } from './server.ts';

const USAGE =
  'usage: WEBHOOK_SECRET=… SIM_CONTROL_TOKEN=… node sim/main.ts --port 8700 --stores 8 [--config-out fleet.json]';

function integer(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`--${name} must be an integer ${min}..${max}`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      stores: { type: 'string' },
      seed: { type: 'string' },
      'config-out': { type: 'string' },
      'promote-delay-ms': { type: 'string' },
      'wan-cut': { type: 'string' },
      'lease-seconds': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const webhookSecret = process.env.WEBHOOK_SECRET ?? '';
  const controlToken = process.env.SIM_CONTROL_TOKEN ?? '';
  if (!webhookSecret) throw new Error('WEBHOOK_SECRET is required in the environment');
  if (!controlToken) throw new Error('SIM_CONTROL_TOKEN is required in the environment');
  const wanCut = values['wan-cut'] ?? 'hang';
  if (wanCut !== 'hang' && wanCut !== 'reset') throw new Error('--wan-cut must be hang or reset');

  const specs = demoStoreSpecs({
    stores: integer('stores', values.stores, 8, 1, 5000),
    seed: integer('seed', values.seed, 1, 0, 2 ** 31),
  });
  const sim = new FleetSim(specs, {
    promoteDelayMs: integer('promote-delay-ms', values['promote-delay-ms'], 300, 0, 600_000),
    wanCutMode: wanCut,
    selfFence:
      values['lease-seconds'] === undefined
        ? null
        : { leaseSeconds: integer('lease-seconds', values['lease-seconds'], 15, 1, 3600) },
    log: (line) => console.log(`[sim] ${line}`),
  });
  const server = await startSimServer({
    sim,
    webhookSecret,
    controlToken,
    host: values.host ?? '127.0.0.1',
    port: integer('port', values.port, 8700, 0, 65535),
  });
  if (values['config-out']) {
    const config = fleetConfigFor(specs, server.url);
    await writeFile(values['config-out'], `${JSON.stringify(config, null, 2)}\n`);
    console.log(`[sim] fleet config for ${specs.length} stores written to ${values['config-out']}`);
  }
  console.log(`[sim] listening on ${server.url} (${specs.length} stores; control API at ${server.url}/control/state)`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[sim] ${signal}: shutting down`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`[sim] shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[sim] ${error instanceof Error ? error.message : String(error)}`);
  console.error(USAGE);
  process.exit(1);
});
