/**
 * The command line, parsed before anything is read or sent: the command, its positionals and its
 * options, each option allowed only on the commands that use it. Every mistake is a usage error
 * (exit 2) naming the flag and what it should be.
 */
import { parseArgs } from 'node:util';
import { usageError } from './cli-error.ts';

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  profile: { type: 'string' },
  lang: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  yes: { type: 'boolean', short: 'y' },
  watch: { type: 'boolean', short: 'w' },
  interval: { type: 'string' },
  limit: { type: 'string' },
  type: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  cursor: { type: 'string' },
  reason: { type: 'string' },
  target: { type: 'string' },
  'allow-data-loss': { type: 'boolean' },
  minutes: { type: 'string' },
  start: { type: 'string' },
  id: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  region: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

export type OptionName = keyof typeof OPTIONS;
export type Values = { [K in OptionName]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string };

/** Allowed on every command. */
export const COMMON_OPTIONS: readonly OptionName[] = ['url', 'token', 'profile', 'lang', 'no-color', 'help'];

export interface ParsedArgs {
  values: Values;
  positionals: string[];
}

export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Values, positionals };
  } catch (e) {
    // Node's own words are English: the two mistakes people make are said in the catalog's.
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: unknown }).code;
    const option = /'(-[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usageError('error.unknownOption', { option });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.endsWith('argument missing'))
      throw usageError('error.optionNeedsValue', { option });
    throw usageError('error.badOption', { message });
  }
}

/** Refuses options the command does not take: a misplaced `--reason` should not be silently dropped. */
export function checkOptions(values: Values, allowed: readonly OptionName[], command: string): void {
  for (const name of Object.keys(values) as OptionName[]) {
    if (values[name] !== undefined && !COMMON_OPTIONS.includes(name) && !allowed.includes(name))
      throw usageError('error.optionNotHere', { command, option: `--${name}` });
  }
}

export function intOption(values: Values, name: OptionName, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw usageError('error.badNumber', { option: name, min, max, value: raw });
  return n;
}

/** An ISO date (`2026-11-01`) or date-time with a zone; returned as given after checking it parses. */
export function timeOption(values: Values, name: OptionName): string | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const ok =
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw) &&
    !Number.isNaN(Date.parse(raw));
  if (!ok) throw usageError('error.badTime', { option: name, value: raw });
  return raw;
}

/** A calendar date, YYYY-MM-DD (the report counts each store's own days). */
export function dateOption(values: Values, name: OptionName): string | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const ok =
    /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(Date.parse(raw)) && new Date(raw).toISOString().startsWith(raw);
  if (!ok) throw usageError('error.badDate', { option: name, value: raw });
  return raw;
}

/** A page cursor as the API hands it out in `next`: a positive integer. */
export function cursorOption(values: Values): string | undefined {
  const raw = values.cursor;
  if (raw === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(raw))
    throw usageError('error.badNumber', { option: 'cursor', min: 1, max: '9999999999999999', value: raw });
  return raw;
}

export function choiceOption<T extends string>(values: Values, name: OptionName, choices: readonly T[]): T | undefined {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  if (!(choices as readonly string[]).includes(raw))
    throw usageError('error.badChoice', { option: name, choices: choices.join(', '), value: raw });
  return raw as T;
}

/** Exactly `names.length` positionals, each required. */
export function positionals(args: readonly string[], command: string, names: readonly string[]): string[] {
  const missing = names[args.length];
  if (missing !== undefined) throw usageError('error.missingArgument', { command, what: missing });
  const extra = args[names.length];
  if (extra !== undefined) throw usageError('error.extraArgument', { arg: extra });
  return [...args];
}

export function requiredString(values: Values, name: OptionName, command: string): string {
  const raw = values[name];
  if (typeof raw !== 'string' || raw.trim() === '')
    throw usageError('error.missingArgument', { command, what: `--${name}` });
  return raw;
}
