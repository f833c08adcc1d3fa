/**
 * Push mode, for agents the edge cannot reach (behind NAT): every `intervalMs` the report is POSTed
 * to the worker's `/hooks/v1/agent/<store>`, signed with this agent's own push key,
 * `key(HOOK_SECRET, store, principal)`, and naming that principal in `X-Mirrorwatch-Principal` (its
 * node id, or `arbiter`; docs/PROTOCOL.md section 4).
 * A lease in the worker's answer (contract section 6) is handed to `onAnswer` with the parsed body.
 * Works with any backend. A failed push is logged with what and where and tried again next tick;
 * nothing here throws. Ticks never overlap: the next is scheduled when one ends.
 */
import { PRINCIPAL_HEADER } from '#shared/keys.ts';
import type { AgentReport } from '#shared/schemas/report.ts';
import { signedHeaders } from '#shared/signature.ts';
import { describeError } from './describe-error.ts';

export interface PushOptions {
  url: string;
  /** This agent's push key (`npm run keys`); never HOOK_SECRET itself. */
  key: string;
  /** Whose key it is: the node id, or `arbiter`. */
  principal: string;
  intervalMs: number;
  report: () => Promise<AgentReport>;
  /** The parsed JSON of a 2xx answer (not called when the body is not JSON); must not throw. */
  onAnswer?: (body: unknown) => Promise<void>;
  timeoutMs?: number;
  log?: (line: string) => void;
  now?: () => number;
  fetch?: typeof fetch;
}

export interface PushLoop {
  /** One push now; true when the worker answered 2xx. */
  pushOnce(): Promise<boolean>;
  /** No push starts after this resolves; one in flight is awaited. */
  stop(): Promise<void>;
}

async function answered(text: string, onAnswer: (body: unknown) => Promise<void>, log: (line: string) => void) {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    log(`push answer is not JSON (${describeError(error)}): no lease read from it`);
    return;
  }
  await onAnswer(body);
}

export function startPushLoop(options: PushOptions): PushLoop {
  const log = options.log ?? ((line: string) => console.log(`[push] ${line}`));
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? Math.min(10_000, Math.max(1000, options.intervalMs));
  let failing = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<boolean> | null = null;

  async function attempt(): Promise<boolean> {
    let body: string;
    try {
      body = JSON.stringify(await options.report());
    } catch (error) {
      log(`push to ${options.url} skipped: the report failed: ${describeError(error)}`);
      return false;
    }
    try {
      const headers = {
        'content-type': 'application/json',
        [PRINCIPAL_HEADER]: options.principal,
        ...(await signedHeaders(options.key, body, now())),
      };
      const res = await fetchImpl(options.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'manual',
      });
      const full = await res.text();
      if (!res.ok) {
        const text = full.slice(0, 300);
        log(`push to ${options.url} failed: HTTP ${res.status}${text ? ` ${text}` : ''}`);
        failing = true;
        return false;
      }
      if (options.onAnswer) await answered(full, options.onAnswer, log);
    } catch (error) {
      log(`push to ${options.url} failed: ${describeError(error)}`);
      failing = true;
      return false;
    }
    if (failing) log(`push to ${options.url} works again`);
    failing = false;
    return true;
  }

  function pushOnce(): Promise<boolean> {
    const run = (inFlight ?? Promise.resolve(true)).then(attempt, attempt);
    inFlight = run;
    return run;
  }

  function tick(): void {
    timer = null;
    if (stopped) return;
    pushOnce().finally(() => {
      if (!stopped) timer = setTimeout(tick, options.intervalMs);
    });
  }

  tick();
  return {
    pushOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
  };
}
