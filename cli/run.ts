/**
 * The CLI from argv to exit code: parse, pick the language and the command, run it, and print any
 * failure on one line that says what to do. The outside world comes in through `io`, so tests run
 * it in-process.
 */
import { apiClient } from './api-client.ts';
import { checkOptions, parseCommandLine, type Values } from './args.ts';
import { CliError, EXIT } from './cli-error.ts';
import { COMMANDS } from './commands/index.ts';
import { resolveConnection } from './connection.ts';
import type { CliIo, Ctx } from './context.ts';
import { pickLang, translator } from './i18n.ts';

function findCommand(positionals: string[]) {
  const [first, second] = positionals;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { command: two, args: positionals.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  return one ? { command: one, args: positionals.slice(1) } : null;
}

function context(io: CliIo, values: Values, lang: ReturnType<typeof translator>): Ctx {
  let api: ReturnType<Ctx['api']> | null = null;
  return {
    io,
    t: lang,
    values,
    colour: io.stdoutIsTTY && !values['no-color'] && !io.env.NO_COLOR,
    api: () => {
      api ??= apiClient(resolveConnection(values, io.env, io.home), io.fetch);
      return api;
    },
    say: (key, params) => io.out(`${lang(key, params)}\n`),
  };
}

/** `--lang X` or `--lang=X` as typed, before the full parse (which may be what fails). */
function langArgument(argv: readonly string[]): string | undefined {
  const joined = argv.find((a) => a.startsWith('--lang='));
  if (joined) return joined.slice('--lang='.length);
  const at = argv.indexOf('--lang');
  return at === -1 ? undefined : argv[at + 1];
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // The language first, from what can be read without failing, so even a usage error is in it.
  let t = translator(pickLang(langArgument(argv), io.env) ?? 'en');
  try {
    const { values, positionals } = parseCommandLine(argv);
    const lang = pickLang(values.lang, io.env);
    if (lang === null) throw new CliError(EXIT.usage, 'error.badLang', { value: values.lang ?? '' });
    t = translator(lang);
    const found = findCommand(positionals);
    if (values.help || positionals.length === 0) {
      io.out(`${t('usage.main')}\n`);
      return positionals.length === 0 && !values.help ? EXIT.usage : EXIT.ok;
    }
    if (!found) {
      const command = positionals.slice(0, positionals[0] === 'config' || positionals[0] === 'maintenance' ? 2 : 1);
      throw new CliError(EXIT.usage, 'error.unknownCommand', { command: command.join(' ') });
    }
    checkOptions(values, found.command.options, found.command.name);
    return await found.command.run(context(io, values, t), found.args);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    const hint = e.code === EXIT.usage ? `\n${t('error.usageHint')}` : '';
    io.err(`${t('error.prefix', { message: t(e.key, e.params) })}${hint}\n`);
    return e.code;
  }
}
