/**
 * Which keys an agent runs with (contract v2, section 4), read from the environment or files, and
 * the refusals that keep a master secret off a store host: an agent that finds WEBHOOK_SECRET or
 * HOOK_SECRET in its environment, a config field of the old master-secret kind, or a value that is
 * not a key where a key belongs stops with the command that prints the right keys.
 */
import { ARBITER_PRINCIPAL } from '#shared/keys.ts';
import type { AgentConfig } from './config.ts';
import { ConfigError, secretFile } from './config-error.ts';
import { ACTION_KEY_ENV, keysCommand, MASTER_SECRET_NAMES, PUSH_KEY_ENV, parseKeyList } from './given-keys.ts';

export interface AgentKeys {
  /** Verify actions (any of them); empty for an arbiter, which takes none. */
  actionKeys: string[];
  /** Sign pushed reports (the first signs); null without push. */
  push: { keys: string[]; principal: string } | null;
}

const FIX = 'npm run keys -- <store> <node|arbiter>';

/** Config fields of agents before contract v2, each with what replaced it. */
export const MASTER_SECRET_FIELDS = [
  {
    path: ['webhookSecretFile'],
    message: `gone: the agent is given its own action key, not WEBHOOK_SECRET; use actionKeyFile with the key ${FIX} prints`,
  },
  {
    path: ['push', 'hookSecretFile'],
    message: `gone: the agent is given its own push key, not HOOK_SECRET; use pushKeyFile with the key ${FIX} prints`,
  },
] as const;

/** The principal an agent pushes as: its node id, or `arbiter`. */
export function pushPrincipal(config: Pick<AgentConfig, 'role' | 'node'>): string {
  return config.role === 'arbiter' ? ARBITER_PRINCIPAL : config.node;
}

async function keysFrom(
  envName: string,
  env: Record<string, string | undefined>,
  file: string | undefined,
  fileField: string,
  fix: string,
): Promise<string[]> {
  const fromEnv = env[envName];
  const [text, what] =
    fromEnv !== undefined && fromEnv.trim() !== ''
      ? [fromEnv, envName]
      : file !== undefined
        ? [await secretFile(file, `the key (${fileField})`), `${fileField} ${file}`]
        : [null, envName];
  if (text === null) throw new ConfigError(`${envName} (or ${fileField}) is required: ${fix} prints it`);
  const parsed = parseKeyList(text, what, fix);
  if (!parsed.ok) throw new ConfigError(parsed.error);
  return parsed.keys;
}

/** The keys this agent needs for its role; throws ConfigError naming the fix. */
export async function loadAgentKeys(config: AgentConfig, env: Record<string, string | undefined>): Promise<AgentKeys> {
  const principal = pushPrincipal(config);
  const fix = keysCommand(config.store, principal);
  const master = MASTER_SECRET_NAMES.find((name) => (env[name] ?? '') !== '');
  if (master !== undefined) {
    throw new ConfigError(
      `${master} is set in the agent's environment: a store host must never hold a master secret. ` +
        `Unset it and give the agent its own keys (${ACTION_KEY_ENV}, ${PUSH_KEY_ENV}): ${fix} prints them`,
    );
  }
  const actionKeys =
    config.role === 'database' ? await keysFrom(ACTION_KEY_ENV, env, config.actionKeyFile, 'actionKeyFile', fix) : [];
  const push = config.push
    ? { keys: await keysFrom(PUSH_KEY_ENV, env, config.pushKeyFile, 'pushKeyFile', fix), principal }
    : null;
  return { actionKeys, push };
}
