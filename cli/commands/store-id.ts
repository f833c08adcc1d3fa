/** A store or node id from the command line, checked before it becomes part of a URL. */
import { ID_PATTERN } from '#shared/schemas/common.ts';
import { usageError } from '../cli-error.ts';

export function storeId(raw: string): string {
  if (!ID_PATTERN.test(raw)) throw usageError('error.badId', { value: raw, pattern: ID_PATTERN.source });
  return raw;
}
