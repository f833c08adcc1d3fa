/**
 * The one error type of the HTTP layer: thrown anywhere, turned into the contract's error body
 * (`{"error":{"code","message","details"}}`) by `onError` in app.ts.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorDetail } from '#shared/schemas/api.ts';

export class ApiException extends HTTPException {
  readonly code: string;
  readonly details: ApiErrorDetail[] | undefined;

  constructor(status: ContentfulStatusCode, code: string, message: string, details?: ApiErrorDetail[]) {
    super(status, { message });
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what: string) => new ApiException(404, 'not_found', what);
