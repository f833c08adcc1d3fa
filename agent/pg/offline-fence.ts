/**
 * A fence for a server that is down: written into its postgresql.auto.conf (where ALTER SYSTEM
 * would have put it), so it starts read-only. Without this a returning old primary would take
 * writes until the agent's next check.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `done`: the server will start read-only; `message` says what happened, for the log. */
export async function writeOfflineFence(dataDir: string | null): Promise<{ done: boolean; message: string }> {
  if (!dataDir)
    return {
      done: false,
      message: 'data directory unknown (set database.dataDir): the fence is applied when the server answers',
    };
  const file = join(dataDir, 'postgresql.auto.conf');
  try {
    const text = await readFile(file, 'utf8');
    const values = [...text.matchAll(/^\s*default_transaction_read_only\s*=\s*'?(\w+)'?/gm)].map((m) => m[1]);
    if (values.at(-1) === 'on') return { done: true, message: `${file} already starts the server read-only` };
    await appendFile(file, `${text.endsWith('\n') || text === '' ? '' : '\n'}default_transaction_read_only = 'on'\n`);
    return { done: true, message: `fence written to ${file}: the server starts read-only` };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      done: false,
      message: `cannot write the fence to ${file} (${reason}): it is applied when the server answers`,
    };
  }
}
