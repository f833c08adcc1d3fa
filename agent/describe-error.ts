/**
 * One line for a failed request or task, for logs and reports. Node's fetch says only "fetch
 * failed" and keeps the reason (ECONNREFUSED, a TLS error) in `cause`, so the cause is added.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return error.message;
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
