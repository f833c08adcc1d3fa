/**
 * One probe of one endpoint: `GET {url}/health` parsed against the agent report schema, or a TCP
 * connect to the database port. Every way a probe can fail ends as a `ProbeOutcome` with a reason
 * a person can act on; nothing here throws.
 */
import { connect } from 'cloudflare:sockets';
import type { ProbeOutcome } from '#shared/observations.ts';
import { issueDetails } from '#shared/schemas/issues.ts';
import { AgentReport } from '#shared/schemas/report.ts';

const MAX_REPORT_BYTES = 64 * 1024;

export type Clock = () => number;

function failed(at: number, error: string, latencyMs: number | null = null): ProbeOutcome {
  return { at, ok: false, latencyMs, report: null, error };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** `extraHeaders`: a lease for the held primary (contract section 6), sent with this probe only. */
export async function probeHttp(
  baseUrl: string,
  timeoutMs: number,
  clock: Clock,
  extraHeaders: Record<string, string> = {},
): Promise<ProbeOutcome> {
  const started = Date.now();
  // When the probe finished, on the monitor's clock (simulated in tests).
  const at = clock;
  const url = `${baseUrl.replace(/\/+$/, '')}/health`;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, {
      signal: abort.signal,
      headers: { ...extraHeaders, accept: 'application/json' },
      redirect: 'manual',
    });
    const text = await res.text();
    const latencyMs = Date.now() - started;
    if (!res.ok) return failed(at(), `HTTP ${res.status} from the agent`, latencyMs);
    if (text.length > MAX_REPORT_BYTES) return failed(at(), `report larger than ${MAX_REPORT_BYTES} bytes`, latencyMs);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return failed(at(), `invalid JSON in the report (${text.slice(0, 40).replace(/\s+/g, ' ')}…)`, latencyMs);
    }
    const parsed = AgentReport.safeParse(body);
    if (!parsed.success) {
      const first = issueDetails(parsed.error)
        .slice(0, 3)
        .map((d) => `${d.path}: ${d.message}`);
      return failed(at(), `invalid report: ${first.join('; ')}`, latencyMs);
    }
    return { at: at(), ok: true, latencyMs, report: parsed.data, error: null };
  } catch (err) {
    if (abort.signal.aborted) return failed(at(), `timeout after ${timeoutMs} ms`);
    return failed(at(), `connection failed: ${describe(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

export async function probeTcp(target: string, timeoutMs: number, clock: Clock): Promise<ProbeOutcome> {
  const started = Date.now();
  const at = clock;
  const split = target.lastIndexOf(':');
  const hostname = target.slice(0, split).replace(/^\[|\]$/g, '');
  const port = Number(target.slice(split + 1));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let socket: Socket | undefined;
  try {
    socket = connect({ hostname, port });
    // A refused connection also rejects `closed`; the verdict comes from `opened` below.
    socket.closed.catch(() => undefined);
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([socket.opened, timeout]);
    return { at: at(), ok: true, latencyMs: Date.now() - started, report: null, error: null };
  } catch (err) {
    return failed(at(), `TCP connect to port ${port} failed: ${describe(err)}`);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    socket?.close().catch(() => {
      // The probe's verdict is already made; a failing close has nothing left to report.
    });
  }
}
