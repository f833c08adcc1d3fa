/** Turns zod issues into the contract's error details: a JSON path such as `stores[2].nodes[0].url`. */
import type { z } from 'zod';
import type { ApiErrorDetail } from './api.ts';

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

export function issueDetails(error: z.ZodError): ApiErrorDetail[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
