/** An in-process terminal for the CLI: what it printed, and a fetch that can say whether it was used. */
import type { CliIo } from '#cli/context.ts';
import { runCli } from '#cli/run.ts';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** Requests the command sent, as `METHOD path`. */
  requests: string[];
}

export interface CliIoOptions {
  env?: Record<string, string | undefined>;
  home?: string;
  tty?: boolean;
  answers?: string[];
  /** How many `--watch` refreshes to allow after the first. */
  refreshes?: number;
  /** Default: refuse every request, so a test that expects none fails if one is sent. */
  fetch?: typeof fetch;
}

const refuse: typeof fetch = async (input) => {
  throw new Error(`unexpected request to ${String(input)}`);
};

export async function runCliWith(argv: string[], options: CliIoOptions = {}): Promise<CliRun> {
  const result: CliRun = { code: -1, out: '', err: '', requests: [] };
  const answers = [...(options.answers ?? [])];
  let refreshes = options.refreshes ?? 0;
  const inner = options.fetch ?? refuse;
  const io: CliIo = {
    env: { LANG: 'C', ...options.env },
    home: options.home ?? '/nonexistent-home',
    out: (text) => {
      result.out += text;
    },
    err: (text) => {
      result.err += text;
    },
    stdoutIsTTY: options.tty ?? false,
    stdinIsTTY: options.tty ?? false,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      result.requests.push(`${init?.method ?? 'GET'} ${url.pathname}${url.search}`);
      return inner(input, init);
    },
    ask: async (question) => {
      // A terminal echoes the typed answer and its Enter.
      const answer = answers.shift() ?? '';
      result.out += `${question}${answer}\n`;
      return answer;
    },
    wait: async () => refreshes-- > 0,
  };
  result.code = await runCli(argv, io);
  return result;
}
