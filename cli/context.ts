/** What a command is handed: the parsed line, the language, and the outside world as parameters. */
import type { ApiClient } from './api-client.ts';
import type { OptionName, Values } from './args.ts';
import type { MessageKey } from './catalog/en.ts';
import type { Params, Translate } from './i18n.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  home: string;
  out(text: string): void;
  err(text: string): void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  fetch: typeof fetch;
  /** One line from the terminal. */
  ask(question: string): Promise<string>;
  /** Waits between `--watch` refreshes; false once the user asked to stop. */
  wait(ms: number): Promise<boolean>;
}

export interface Ctx {
  io: CliIo;
  t: Translate;
  values: Values;
  /** Colour only on a terminal, never with NO_COLOR or --no-color. */
  colour: boolean;
  /** The server, from flags, environment or profile; resolved on first use so offline commands need none. */
  api(): ApiClient;
  say(key: MessageKey, params?: Params): void;
}

export interface Command {
  /** `status`, or `config validate` for a command with a subcommand. */
  name: string;
  options: readonly OptionName[];
  run(ctx: Ctx, args: string[]): Promise<number>;
}
