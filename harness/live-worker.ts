/**
 * The worker under `wrangler dev` for Node-side end-to-end tests and benchmarks: its own state
 * directory and throwaway secrets, stopped with its workerd children.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { putConfig, startWorker, throwawaySecrets, type WorkerSecrets, waitForWorker } from '#scripts/demo/stack.ts';
import { JobRun, JobSummary } from '#shared/schemas/duties-api.ts';
import { Failover, StoreStatus } from '#shared/schemas/status.ts';

const FailoverList = z.object({ failovers: z.array(Failover) });
const JobList = z.object({ jobs: z.array(JobSummary) });
const RunList = z.object({ runs: z.array(JobRun) });
const EventList = z.object({ events: z.array(z.object({ at: z.string(), type: z.string(), message: z.string() })) });

import { freePort } from './pg-cluster.ts';

export interface LiveWorker {
  base: string;
  secrets: WorkerSecrets;
  putConfig(config: unknown): Promise<void>;
  store(id: string): Promise<StoreStatus>;
  failovers(id: string): Promise<Failover[]>;
  jobs(id: string): Promise<z.infer<typeof JobSummary>[]>;
  /** A job's heartbeats, newest first. */
  jobRuns(id: string, job: string): Promise<z.infer<typeof JobRun>[]>;
  /** The store's events, newest first. */
  events(id: string): Promise<z.infer<typeof EventList>['events']>;
  logs: string[];
  stop(): void;
}

export async function startLiveWorker(): Promise<LiveWorker> {
  const secrets = throwawaySecrets();
  const state = mkdtempSync(join(tmpdir(), 'mirrorwatch-worker-'));
  const logs: string[] = [];
  const worker = startWorker({ port: await freePort(), persistTo: state, secrets, log: (l) => logs.push(l) });
  await waitForWorker(worker.base);
  const get = async (path: string) => {
    const res = await fetch(`${worker.base}${path}`, { headers: { authorization: `Bearer ${secrets.VIEWER_TOKEN}` } });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return {
    base: worker.base,
    secrets,
    logs,
    putConfig: (config) => putConfig(worker.base, secrets.ADMIN_TOKEN, config),
    store: async (id) => StoreStatus.parse(await get(`/api/v1/stores/${id}`)),
    failovers: async (id) => FailoverList.parse(await get(`/api/v1/stores/${id}/failovers`)).failovers,
    jobs: async (id) => JobList.parse(await get(`/api/v1/stores/${id}/jobs`)).jobs,
    jobRuns: async (id, job) => RunList.parse(await get(`/api/v1/stores/${id}/jobs/${job}/runs`)).runs,
    events: async (id) => EventList.parse(await get(`/api/v1/stores/${id}/events`)).events,
    stop: () => {
      worker.stop();
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/** Polls until `done` holds, with a bounded wait; real time passes here, so this polls a real system. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (v: T) => boolean,
  timeoutMs: number,
  everyMs = 200,
) {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    last = await read();
  }
  return last;
}

/** The failover settings of the PostgreSQL runs: probe every second, act after 5 s of loss. */
export const PG_RUN_DEFAULTS = {
  intervalSeconds: 1,
  timeoutMs: 1000,
  failover: { mode: 'auto', thresholdSeconds: 5, maxLagSeconds: 30 },
} as const;

/**
 * Puts one store under watch with PG_RUN_DEFAULTS, waits until it is healthy, then starts `writer`
 * and waits until `rows` commits are acknowledged: the starting point of every PostgreSQL run.
 */
export async function watchWithWrites(
  worker: LiveWorker,
  store: { id: string; config: Record<string, unknown>; writer: { start(): void; acked: unknown[] } },
  rows: number,
): Promise<void> {
  await worker.putConfig({ version: 1, defaults: PG_RUN_DEFAULTS, stores: [store.config] });
  await waitFor(
    'store healthy',
    () => worker.store(store.id),
    (s) => s.status === 'healthy',
    60_000,
  );
  store.writer.start();
  await waitFor(
    'writes flowing',
    async () => store.writer.acked.length,
    (n) => n >= rows,
    30_000,
  );
}
