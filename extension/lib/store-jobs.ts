/**
 * A store's scheduled jobs for the popup's store page (`GET /api/v1/stores/:id/jobs`, docs/PROTOCOL.md
 * section 8): per job its state, the last run and the node it ran on, and the next slot in the
 * store's time zone. Only the fields the page shows are read; the rest of the summary is ignored.
 */
import { errorInfo, type FetchFn, jsonOrNull, networkMessage, REQUEST_TIMEOUT_MS, type Server } from './api-client.ts';
import * as g from './guard.ts';

const Iso = g.isoDateTime();
const Slot = g.object({ at: Iso, local: g.string() });

export const StoreJob = g.object({
  id: g.string(),
  name: g.string(),
  schedule: g.string(),
  state: g.enumOf(['ok', 'pending', 'running', 'late', 'failed', 'overrun']),
  reason: g.nullable(g.string()),
  lastRun: g.nullable(
    g.object({ at: Iso, event: g.enumOf(['start', 'success', 'fail']), node: g.nullable(g.string()) }),
  ),
  nextSlot: g.nullable(Slot),
  doubled: g.nullable(g.object({ at: Iso, local: g.string(), nodes: g.array(g.string()) })),
});
export type StoreJob = g.Infer<typeof StoreJob>;
export const StoreJobs = g.array(StoreJob);

export type JobsResult = { kind: 'ok'; jobs: StoreJob[] } | { kind: 'failed'; message: string };

export function jobsUrl(origin: string, storeId: string): string {
  return `${origin}/api/v1/stores/${encodeURIComponent(storeId)}/jobs`;
}

/** Never throws. */
export async function fetchJobs(server: Server, storeId: string, fetchFn: FetchFn): Promise<JobsResult> {
  let res: Response;
  try {
    res = await fetchFn(jobsUrl(server.origin, storeId), {
      headers: { Authorization: `Bearer ${server.token}`, Accept: 'application/json' },
      cache: 'no-store',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: 'failed', message: networkMessage(server.origin, err) };
  }
  if (!res.ok) return { kind: 'failed', message: `jobs: ${(await errorInfo(res)).message}` };
  const body = g.object({ jobs: StoreJobs }).safeParse(await jsonOrNull(res));
  if (!body.success) return { kind: 'failed', message: `jobs: an unexpected body (${body.error})` };
  return { kind: 'ok', jobs: body.data.jobs };
}
