/**
 * The demo's primary-only job: one store's sync installed on every one of its nodes, as the README's
 * worked example installs it with cron, so `npm start` shows it follow the primary through a
 * failover. Each slot runs the real wrapper (`runPrimaryOnly`) once per node, against that node's
 * simulated agent (`…/nodes/:node/local/primary`), signed with the job's own key.
 *
 * The real case runs every 10 minutes from 09:00 to 22:00; the demo runs every minute so a
 * failover shows within a minute or two.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HeartbeatTarget } from '#agent/job/heartbeat-client.ts';
import { runPrimaryOnly } from '#agent/job/primary-only.ts';
import { jobPrincipal, signingKey } from '#shared/keys.ts';
import type { FleetConfigInput } from '#shared/schemas/config.ts';
import { simUrls } from './demo-fleet.ts';

export const DEMO_JOB = {
  id: 'sync',
  name: 'MobiLink sync (demo: every minute)',
  schedule: '* * * * *',
  graceSeconds: 40,
  maxRunSeconds: 50,
} as const;

/** The config with the demo job on store `storeId`. */
export function withDemoJob(config: FleetConfigInput, storeId: string): FleetConfigInput {
  return {
    ...config,
    stores: config.stores.map((s) => (s.id === storeId ? { ...s, jobs: [...(s.jobs ?? []), DEMO_JOB] } : s)),
  };
}

export interface DemoJobOptions {
  /** The worker's base URL. */
  worker: string;
  /** The simulator's base URL. */
  simUrl: string;
  store: string;
  nodes: readonly string[];
  /** HOOK_SECRET, to derive the job's own key as `npm run keys -- <store> job:sync` would. */
  hookSecret: string;
  /** What each run does (default: a two-second sleep standing in for dbmlsync). */
  command?: string[];
  lockRoot?: string;
  log: (line: string) => void;
}

const SYNC_STAND_IN = [process.execPath, '-e', 'setTimeout(() => {}, 2000)'];

/** One slot on every node at once, as cron starts it on each host; the exit code per node. */
export async function runDemoSlot(options: DemoJobOptions & { lockRoot: string }): Promise<Record<string, number>> {
  const key = await signingKey(options.hookSecret, options.store, jobPrincipal(DEMO_JOB.id));
  if (key === null) throw new Error('the demo job needs HOOK_SECRET to derive its key');
  const target: HeartbeatTarget = {
    worker: options.worker,
    store: options.store,
    job: DEMO_JOB.id,
    credentials: { kind: 'signed', key },
  };
  const codes = await Promise.all(
    options.nodes.map(async (node) => {
      let stoodAside = false;
      const log = (line: string) => {
        stoodAside ||= line.startsWith('skipped');
        options.log(`${DEMO_JOB.id}@${node}: ${line}`);
      };
      const code = await runPrimaryOnly(target, options.command ?? SYNC_STAND_IN, {
        agent: simUrls.node(options.simUrl, options.store, node),
        lockDir: join(options.lockRoot, node),
        log,
      });
      if (code === 0 && !stoodAside) log('ran: this node is the serving primary');
      return [node, code] as const;
    }),
  );
  return Object.fromEntries(codes);
}

/** Runs a slot at the start of every minute until stopped. */
export function startDemoJobs(options: DemoJobOptions): { stop(): void } {
  const lockRoot = options.lockRoot ?? mkdtempSync(join(tmpdir(), 'mirrorwatch-demo-jobs-'));
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    timer = setTimeout(
      () => {
        schedule();
        runDemoSlot({ ...options, lockRoot }).catch((err: unknown) =>
          options.log(`demo job slot failed: ${err instanceof Error ? err.message : String(err)}`),
        );
      },
      60_000 - (Date.now() % 60_000) + 500,
    );
  };
  schedule();
  return {
    stop: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
