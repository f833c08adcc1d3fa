/** The agent's one configuration failure, and reading a secret from a file, shared by config and keys. */
import { readFile } from 'node:fs/promises';

/** A configuration the agent cannot start with; main prints its message and the usage. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The trimmed content of a file holding a secret; `what` names it in the error (never its content). */
export async function secretFile(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new ConfigError(
      `cannot read ${what} from ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
