/**
 * The worker's HTTP API as the CLI calls it: a bearer token on every request, every answer parsed,
 * and every failure turned into a CliError with the exit code its kind deserves.
 */
import type { z } from 'zod';
import { ApiError } from '#shared/schemas/api.ts';
import { CliError, EXIT } from './cli-error.ts';
import type { Connection } from './connection.ts';

export type Role = 'viewer' | 'operator' | 'admin';

/** A refusal the caller may want to tell apart (a route an older worker lacks, a missing config). */
export class ApiFailure extends CliError {
  readonly status: number;
  readonly apiCode: string | null;
  constructor(status: number, apiCode: string | null, error: CliError) {
    super(error.code, error.key, error.params);
    this.status = status;
    this.apiCode = apiCode;
  }
}

export interface ApiClient {
  readonly url: string;
  json<T>(schema: z.ZodType<T>, path: string, init?: { method?: string; body?: unknown; role?: Role }): Promise<T>;
  text(path: string, role?: Role): Promise<string>;
}

function failure(status: number, text: string, role: Role): ApiFailure {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the status alone speaks
  }
  const parsed = ApiError.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : null;
  let message = parsed.success ? parsed.data.error.message : text.slice(0, 200).trim() || `HTTP ${status}`;
  const details = parsed.success ? (parsed.data.error.details ?? []) : [];
  if ((status === 400 || status === 422) && details.length > 0)
    message += `: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`;
  const make = (exit: CliError) => new ApiFailure(status, code, exit);
  if (status === 401) return make(new CliError(EXIT.connection, 'error.unauthorized'));
  if (status === 403) return make(new CliError(EXIT.connection, 'error.forbidden', { message, role }));
  if (status === 404) return make(new CliError(EXIT.failed, 'error.notFound', { message }));
  if (status === 409) return make(new CliError(EXIT.failed, 'error.refused', { message }));
  if (status >= 400 && status < 500)
    return make(new CliError(EXIT.failed, 'error.invalidRequest', { status, message }));
  return make(new CliError(EXIT.failed, 'error.server', { status, message }));
}

export function apiClient(conn: Connection, fetchImpl: typeof fetch): ApiClient {
  async function call(path: string, method: string, body: unknown, role: Role): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${conn.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetchImpl(`${conn.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      throw new CliError(EXIT.connection, 'error.unreachable', { url: conn.url, cause });
    }
    if (!res.ok) throw failure(res.status, await res.text(), role);
    return res;
  }
  return {
    url: conn.url,
    async json(schema, path, init = {}) {
      const res = await call(path, init.method ?? 'GET', init.body, init.role ?? 'viewer');
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const result = schema.safeParse(parsed);
      if (!result.success) throw new CliError(EXIT.failed, 'error.notJson', { status: res.status, url: conn.url });
      return result.data;
    },
    async text(path, role = 'viewer') {
      return (await call(path, 'GET', undefined, role)).text();
    },
  };
}
