/**
 * The store page's jobs: asked of the background when a store is opened (the stream and the
 * stores list do not carry jobs), with words for each row. A model outside the component, so the
 * fakeBrowser tests drive it without rendering.
 */
import { signal } from '@preact/signals';
import type { BackgroundClient } from './background-client.ts';
import { PAGE_ENGLISH } from './page-catalog.ts';
import { relativeIso } from './relative-time.ts';
import type { StoreJob } from './store-jobs.ts';
import type { Words } from './ui-catalog.ts';

/** "succeeded 3 min ago on gz-tianhe-b", or "never" before the first run. */
export function lastRunText(job: StoreJob, now: number, w: Words = PAGE_ENGLISH): string {
  const run = job.lastRun;
  if (!run) return w('jobs.never');
  const when = relativeIso(run.at, now, w) ?? run.at;
  return run.node ? w(`jobs.${run.event}On`, { when, node: run.node }) : w(`jobs.${run.event}`, { when });
}

export function createJobsModel(client: Pick<BackgroundClient, 'jobs'>) {
  const jobs = signal<StoreJob[] | null>(null);
  const error = signal<string | null>(null);
  let asked = 0;

  async function load(storeId: string): Promise<void> {
    const mine = ++asked;
    jobs.value = null;
    error.value = null;
    const answer = await client.jobs(storeId);
    if (mine !== asked) return; // another store was opened meanwhile
    if (answer.ok) jobs.value = answer.jobs;
    else error.value = answer.error.message;
  }

  return { jobs, error, load };
}
export type JobsModel = ReturnType<typeof createJobsModel>;
