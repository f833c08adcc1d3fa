/**
 * Reads a JSON request body under the contract's rules: over 1 MiB is 413 (checked on the bytes
 * actually read, not only on Content-Length), malformed JSON is 400, a body that fails its schema
 * is 422 with every problem and its path.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import { issueDetails } from '#shared/schemas/issues.ts';
import { ApiException } from './api-error.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export async function readRawBody(c: Context): Promise<string> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    throw new ApiException(400, 'invalid_body', 'request body is not valid UTF-8');
  }
}

export function parseJson(raw: string): unknown {
  if (raw.trim() === '')
    throw new ApiException(400, 'invalid_json', 'request body is empty; a JSON object is required');
  try {
    return JSON.parse(raw);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ApiException(400, 'invalid_json', `request body is not valid JSON: ${detail}`);
  }
}

export function validate<T extends z.ZodType>(schema: T, value: unknown, code = 'invalid_request'): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = issueDetails(parsed.error);
    throw new ApiException(422, code, `${details.length} problem(s) in the request body`, details);
  }
  return parsed.data;
}

export async function readJson<T extends z.ZodType>(c: Context, schema: T, code?: string): Promise<z.infer<T>> {
  return validate(schema, parseJson(await readRawBody(c)), code);
}

function tooLarge() {
  return new ApiException(413, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
}
