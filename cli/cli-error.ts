/**
 * The CLI's one error class: a catalog key with its values and the exit code a script can test.
 * Thrown anywhere, printed on one line by cli/run.ts.
 */
import type { MessageKey } from './catalog/en.ts';
import type { Params } from './i18n.ts';

export const EXIT = {
  ok: 0,
  /** The operation failed or the server refused it (404, 409, 422, 5xx, an invalid config). */
  failed: 1,
  /** Bad command line: nothing was read from or sent to the server. */
  usage: 2,
  /** The server could not be reached, no connection is configured, or the token was refused. */
  connection: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class CliError extends Error {
  readonly key: MessageKey;
  readonly params: Params;
  readonly code: ExitCode;
  constructor(code: ExitCode, key: MessageKey, params: Params = {}) {
    super(`${key} ${JSON.stringify(params)}`);
    this.name = 'CliError';
    this.key = key;
    this.params = params;
    this.code = code;
  }
}

export const usageError = (key: MessageKey, params: Params = {}) => new CliError(EXIT.usage, key, params);
