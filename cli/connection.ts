/**
 * Where the server is and which token to present: flags, then MIRRORWATCH_URL / MIRRORWATCH_TOKEN,
 * then a profile file. The file holds tokens, so one that other users can read or write is refused
 * (like ssh refuses a loose private key) rather than silently used.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CliError, EXIT } from './cli-error.ts';

const Profile = z.strictObject({ url: z.string().optional(), token: z.string().optional() });
export const ProfileFile = z.strictObject({
  default: z.string().optional(),
  profiles: z.record(z.string(), Profile),
});

export interface Connection {
  url: string;
  token: string;
}

export interface ConnectionFlags {
  url?: string;
  token?: string;
  profile?: string;
}

export function profilePath(env: Record<string, string | undefined>, home: string): string {
  if (env.MIRRORWATCH_PROFILES) return env.MIRRORWATCH_PROFILES;
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'mirrorwatch', 'profiles.json');
}

function readProfile(file: string, name: string | undefined): z.infer<typeof Profile> | null {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    if (name !== undefined) throw new CliError(EXIT.connection, 'error.profileMissing', { name, file });
    return null;
  }
  if ((mode & 0o077) !== 0)
    throw new CliError(EXIT.connection, 'error.profileUnsafe', { file, mode: (mode & 0o777).toString(8) });
  let parsed: z.infer<typeof ProfileFile>;
  try {
    parsed = ProfileFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    const problem = e instanceof z.ZodError ? z.prettifyError(e).replace(/\n/g, ' ') : String(e);
    throw new CliError(EXIT.connection, 'error.profileInvalid', { file, problem });
  }
  const wanted = name ?? parsed.default ?? 'default';
  const profile = parsed.profiles[wanted];
  if (!profile && name !== undefined) throw new CliError(EXIT.connection, 'error.profileMissing', { name, file });
  return profile ?? null;
}

/** Each of url and token from the first source that has it; the profile file is read only when needed. */
export function resolveConnection(
  flags: ConnectionFlags,
  env: Record<string, string | undefined>,
  home: string,
): Connection {
  const file = profilePath(env, home);
  const name = flags.profile ?? env.MIRRORWATCH_PROFILE;
  let url = flags.url ?? env.MIRRORWATCH_URL;
  let token = flags.token ?? env.MIRRORWATCH_TOKEN;
  if (url === undefined || token === undefined || name !== undefined) {
    const profile = readProfile(file, name);
    url ??= profile?.url;
    token ??= profile?.token;
  }
  if (!url) throw new CliError(EXIT.connection, 'error.noUrl', { file });
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new CliError(EXIT.connection, 'error.badUrl', { url });
  if (!token) throw new CliError(EXIT.connection, 'error.noToken', { file });
  return { url: url.replace(/\/+$/, ''), token };
}
