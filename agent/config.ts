/**
 * The store agent's configuration: a JSON file (`--config agent.json`), command-line flags laid over
 * it, keys and passwords from the environment or files (never from the command line, where any
 * local user could read them). Validated once with zod; a bad value stops the agent with the
 * field's path (and its flag) named.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { LeaseSeconds } from '#shared/lease/lease-config.ts';
import { ID_PATTERN } from '#shared/schemas/config.ts';
import { formatPath } from '#shared/schemas/issues.ts';
import { ConfigError, secretFile } from './config-error.ts';
import { type AgentKeys, loadAgentKeys, MASTER_SECRET_FIELDS } from './key-settings.ts';
import { parseAddress } from './tcp-probe.ts';

const Id = z.string().regex(ID_PATTERN, 'must match ^[a-z0-9][a-z0-9-]{0,63}$');
const Port = z.number().int().min(1).max(65535);
const HttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const HostPort = z.string().refine((t) => parseAddress(t) !== null, 'must be host:port');

const Database = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: Port.default(5432),
  user: z.string().min(1).default('postgres'),
  dbname: z.string().min(1).default('postgres'),
  /** A file holding the password; otherwise PGPASSWORD or ~/.pgpass. */
  passwordFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(60_000).default(2000),
  promoteWaitSeconds: z.number().int().min(1).max(60).default(4),
  /** The server's data directory on this host (disk use, the offline fence); learnt from the server when absent. */
  dataDir: z.string().min(1).optional(),
});

const ArbiterNodeConfig = z
  .strictObject({ id: Id, url: HttpUrl.optional(), tcp: HostPort.optional() })
  .refine((n) => n.url !== undefined || n.tcp !== undefined, 'needs a url (its agent) or tcp (its database), or both');

const Arbiter = z.strictObject({
  nodes: z.array(ArbiterNodeConfig).min(1).max(9),
  timeoutMs: z.number().int().min(100).max(30_000).default(1000),
});

/**
 * Self-fencing (contract section 6; README "Leases and self-fencing"). `false` is short for
 * `{ "enabled": false }`: set it exactly when the store's `failover.selfFence` is false, since the
 * monitor then sends no lease and the agent cannot tell that from a cut WAN link.
 */
const SelfFence = z.strictObject({
  enabled: z.boolean().default(true),
  /** The store's `failover.leaseSeconds` or lower; a lease's own `seconds` lowers it further. */
  leaseSeconds: LeaseSeconds.default(15),
  /** How often the primary polls `pg_stat_replication.reply_time` (and re-decides), ms. */
  pollMs: z.number().int().min(100).max(10_000).default(1000),
  /** Count only standbys with these `application_name`s (default: every physical standby). */
  countedStandbys: z.array(z.string().min(1)).min(1).optional(),
});

const Push = z.strictObject({
  /** `https://<worker>/hooks/v1/agent/<store>` */
  url: HttpUrl,
  intervalSeconds: z.number().int().min(1).max(300).default(5),
});

export const AgentConfig = z
  .strictObject({
    role: z.enum(['database', 'arbiter']).default('database'),
    store: Id,
    /** This node's id in the fleet config; the arbiter's own name for an arbiter. */
    node: Id,
    listen: z
      .strictObject({
        host: z.string().min(1).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535).default(8008),
      })
      .prefault({}),
    /** Where the node keeps its epoch, fence and answered actions (database role only). */
    stateDir: z.string().min(1).optional(),
    /** A file holding this node's action key(s) (`npm run keys`); MIRRORWATCH_ACTION_KEY wins. */
    actionKeyFile: z.string().min(1).optional(),
    /** A file holding this node's (or the arbiter's) push key(s); MIRRORWATCH_PUSH_KEY wins. */
    pushKeyFile: z.string().min(1).optional(),
    database: Database.optional(),
    arbiter: Arbiter.optional(),
    push: Push.optional(),
    resources: z.boolean().default(true),
    selfFence: z.preprocess((v) => (typeof v === 'boolean' ? { enabled: v } : (v ?? {})), SelfFence),
  })
  .superRefine((c, ctx) => {
    if (c.role === 'database' && !c.database) {
      ctx.addIssue({ code: 'custom', path: ['database'], message: 'required when role is "database"' });
    }
    if (c.role === 'database' && !c.stateDir) {
      ctx.addIssue({ code: 'custom', path: ['stateDir'], message: 'required when role is "database"' });
    }
    if (c.role === 'arbiter' && !c.arbiter) {
      ctx.addIssue({
        code: 'custom',
        path: ['arbiter'],
        message: 'required when role is "arbiter" (the nodes to watch)',
      });
    }
  });
export type AgentConfig = z.infer<typeof AgentConfig>;

/** The configuration with its keys and password read. */
export interface AgentSettings extends AgentKeys {
  config: AgentConfig;
  dbPassword: string | undefined;
}

export { ConfigError };

const FLAGS = {
  config: { type: 'string' },
  role: { type: 'string' },
  store: { type: 'string' },
  node: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'db-host': { type: 'string' },
  'db-port': { type: 'string' },
  'db-user': { type: 'string' },
  'db-name': { type: 'string' },
  'state-dir': { type: 'string' },
  'action-key-file': { type: 'string' },
  'push-key-file': { type: 'string' },
  'arbiter-node': { type: 'string', multiple: true },
  'push-url': { type: 'string' },
  'push-interval': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** Which flag sets which field, to name it in errors. */
const FLAG_OF: Record<string, string> = {
  role: '--role',
  store: '--store',
  node: '--node',
  'listen.host': '--host',
  'listen.port': '--port',
  'database.host': '--db-host',
  'database.port': '--db-port',
  'database.user': '--db-user',
  'database.dbname': '--db-name',
  stateDir: '--state-dir',
  actionKeyFile: '--action-key-file',
  pushKeyFile: '--push-key-file',
  'arbiter.nodes': '--arbiter-node',
  'push.url': '--push-url',
  'push.intervalSeconds': '--push-interval',
};

export const USAGE = `usage: npm run agent -- --config agent.json [flags]
  flags override the file: --role database|arbiter --store ID --node ID --host H --port P
  --db-host H --db-port P --db-user U --db-name D --state-dir DIR
  --action-key-file F --push-key-file F
  --arbiter-node ID=http://agent:8008 | ID=host:5432 (repeatable) --push-url URL --push-interval S
  env: MIRRORWATCH_ACTION_KEY, MIRRORWATCH_PUSH_KEY (from: npm run keys -- <store> <node|arbiter>), PGPASSWORD
  never a master secret (WEBHOOK_SECRET, HOOK_SECRET): the agent refuses to start with one`;

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(parent: Json, key: string): Json {
  const current = parent[key];
  if (isRecord(current)) return current;
  const created: Json = {};
  parent[key] = created;
  return created;
}

/** A flag's number, or the text itself so zod names the field when it is not one. */
function numeric(text: string): number | string {
  return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

function arbiterNode(text: string): Json {
  const eq = text.indexOf('=');
  if (eq < 1) throw new ConfigError(`--arbiter-node "${text}": expected ID=http://agent:8008 or ID=host:port`);
  const id = text.slice(0, eq);
  const target = text.slice(eq + 1);
  return /^https?:\/\//.test(target) ? { id, url: target } : { id, tcp: target };
}

/** The file's JSON with the flags laid over it, before validation. */
export function overlayFlags(file: unknown, values: ReturnType<typeof parseFlags>): Json {
  if (file !== null && !isRecord(file)) throw new ConfigError('the config file must hold a JSON object');
  const raw: Json = file === null ? {} : structuredClone(file);
  const set = (target: Json, key: string, value: unknown) => {
    if (value !== undefined) target[key] = value;
  };
  set(raw, 'role', values.role);
  set(raw, 'store', values.store);
  set(raw, 'node', values.node);
  set(raw, 'stateDir', values['state-dir']);
  set(raw, 'actionKeyFile', values['action-key-file']);
  set(raw, 'pushKeyFile', values['push-key-file']);
  if (values.host !== undefined || values.port !== undefined) {
    const listen = object(raw, 'listen');
    set(listen, 'host', values.host);
    set(listen, 'port', values.port === undefined ? undefined : numeric(values.port));
  }
  const db = [values['db-host'], values['db-port'], values['db-user'], values['db-name']];
  if (db.some((v) => v !== undefined)) {
    const database = object(raw, 'database');
    set(database, 'host', values['db-host']);
    set(database, 'port', values['db-port'] === undefined ? undefined : numeric(values['db-port']));
    set(database, 'user', values['db-user']);
    set(database, 'dbname', values['db-name']);
  }
  if (values['arbiter-node']?.length) object(raw, 'arbiter').nodes = values['arbiter-node'].map(arbiterNode);
  if (values['push-url'] !== undefined || values['push-interval'] !== undefined) {
    const push = object(raw, 'push');
    set(push, 'url', values['push-url']);
    set(push, 'intervalSeconds', values['push-interval'] === undefined ? undefined : numeric(values['push-interval']));
  }
  return raw;
}

/** Flags of agents before contract v2: named, so their users learn what replaced them. */
const RETIRED_FLAGS: Record<string, string> = {
  '--webhook-secret-file': '--action-key-file',
  '--hook-secret': '--push-key-file',
  '--hook-secret-file': '--push-key-file',
};

export function parseFlags(argv: readonly string[]) {
  const retired = argv.map((a) => a.split('=')[0] ?? a).find((a) => RETIRED_FLAGS[a] !== undefined);
  if (retired !== undefined) {
    throw new ConfigError(
      `${retired} is gone: the agent takes its own keys, not master secrets, and never on the command line ` +
        `(every local user can read it); use ${RETIRED_FLAGS[retired]} with the key printed by ` +
        'npm run keys -- <store> <node|arbiter>',
    );
  }
  try {
    return parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new ConfigError(error instanceof Error ? error.message : String(error));
  }
}

/** Validates a raw config; the error lists every bad field by path (and flag). */
export function parseAgentConfig(raw: unknown, source: string): AgentConfig {
  const retired = MASTER_SECRET_FIELDS.filter((f) => hasPath(raw, f.path));
  if (retired.length > 0) {
    const lines = retired.map((f) => `  ${f.path.join('.')}: ${f.message}`);
    throw new ConfigError(`invalid agent config (${source}):\n${lines.join('\n')}`);
  }
  const parsed = AgentConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const flag = FLAG_OF[path];
    return `  ${path}${flag ? ` (${flag})` : ''}: ${issue.message}`;
  });
  throw new ConfigError(`invalid agent config (${source}):\n${problems.join('\n')}`);
}

function hasPath(raw: unknown, path: readonly string[]): boolean {
  let at: unknown = raw;
  for (const key of path) {
    if (!isRecord(at) || !(key in at)) return false;
    at = at[key];
  }
  return true;
}

/** Everything main needs: parsed flags and file, validated config, secrets. Throws ConfigError. */
export async function loadAgentSettings(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Promise<AgentSettings | 'help'> {
  const values = parseFlags(argv);
  if (values.help) return 'help';
  let file: unknown = null;
  const source = values.config ?? 'flags';
  if (values.config !== undefined) {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `cannot read config file ${values.config}: ${error instanceof Error ? error.message : error}`,
      );
    }
    try {
      file = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(
        `config file ${values.config} is not valid JSON: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  const config = parseAgentConfig(overlayFlags(file, values), source);

  const keys = await loadAgentKeys(config, env);
  const dbPassword = config.database?.passwordFile
    ? await secretFile(config.database.passwordFile, 'the database password')
    : undefined;
  return { config, ...keys, dbPassword };
}
