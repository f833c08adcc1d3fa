/**
 * Sends one heartbeat of a scheduled job to the worker (`POST /hooks/v1/heartbeat/<store>/<job>`),
 * with the job's own token, or signed with the job's own key, `key(HOOK_SECRET, store, "job:<id>")`,
 * naming that principal in `X-Mirrorwatch-Principal` (contract v2, section 4). A heartbeat that
 * cannot be delivered must not stop the job: it is tried a few times, then reported, never thrown.
 */

import { jobPrincipal, PRINCIPAL_HEADER } from '#shared/keys.ts';
import type { JobEvent } from '#shared/schedules/heartbeat.ts';
import { signedHeaders } from '#shared/signature.ts';
import { describeError } from '../describe-error.ts';

/** `signed`: the job's key from `npm run keys -- <store> job:<job id>`, never HOOK_SECRET itself. */
export type Credentials = { kind: 'token'; token: string } | { kind: 'signed'; key: string };

export interface HeartbeatTarget {
  /** The worker's base URL, e.g. https://mirrorwatch.example.workers.dev */
  worker: string;
  store: string;
  job: string;
  credentials: Credentials;
  /** In primary-only mode: the node this runs on and the epoch it follows, named in every heartbeat. */
  from?: { node: string; epoch: number };
}

export interface SendOptions {
  attempts?: number;
  /** Waits between attempts, in ms (the last one repeats). */
  backoffMs?: number[];
  timeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_MESSAGE = 1000;

/** `refusal`: the worker's error code and message, when a 4xx answer carried them (e.g. `stale_epoch`). */
export type SendResult =
  | { ok: true; status: number }
  | { ok: false; error: string; refusal?: { code: string; message: string } };

function refusalOf(text: string): { code: string; message: string } | undefined {
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof error?.code === 'string' && typeof error.message === 'string'
      ? { code: error.code, message: error.message }
      : undefined;
  } catch {
    return undefined;
  }
}

export async function sendHeartbeat(
  target: HeartbeatTarget,
  event: JobEvent,
  message: string | null,
  run: string,
  options: SendOptions = {},
): Promise<SendResult> {
  const attempts = options.attempts ?? 3;
  const backoff = options.backoffMs ?? [1000, 3000];
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = `${target.worker.replace(/\/+$/, '')}/hooks/v1/heartbeat/${encodeURIComponent(target.store)}/${encodeURIComponent(target.job)}`;
  const body = JSON.stringify({
    event,
    run,
    ...(message ? { message: message.slice(0, MAX_MESSAGE) } : {}),
    ...(target.from ?? {}),
  });
  let error = 'not sent';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    // Signed anew each attempt: the worker accepts each signature once.
    const auth: Record<string, string> =
      target.credentials.kind === 'token'
        ? { authorization: `Bearer ${target.credentials.token}` }
        : {
            [PRINCIPAL_HEADER]: jobPrincipal(target.job),
            ...(await signedHeaders(target.credentials.key, body, (options.now ?? Date.now)())),
          };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await res.text();
      if (res.ok) return { ok: true, status: res.status };
      error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      // A 4xx will not change by trying again (a wrong token, an unknown job); a 5xx or 429 may.
      if (res.status < 500 && res.status !== 429) return { ok: false, error, refusal: refusalOf(text) };
    } catch (err) {
      error = describeError(err);
    }
    if (attempt < attempts) await sleep(backoff[Math.min(attempt - 1, backoff.length - 1)] ?? 1000);
  }
  return { ok: false, error: `${error} (after ${attempts} attempts)` };
}
