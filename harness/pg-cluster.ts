/**
 * A real PostgreSQL streaming-replication pair on 127.0.0.1 for Node tests: a primary and a standby
 * built with `pg_basebackup -R -X stream`, each in a fresh temp directory on a free port, tuned to
 * start fast (fsync off, tiny buffers). The server refuses to run as root, so when the tests run as
 * root every server binary runs as the `postgres` user through `runuser`.
 *
 * Nothing is skipped: without the binaries, `startPgCluster` throws and says how to install them.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTcpGate } from './tcp-gate.ts';

/** PG_BIN, else the newest Debian-packaged server (15 on this project's machines). */
export const PG_BIN = process.env.PG_BIN ?? newestDebianServer() ?? '/usr/lib/postgresql/15/bin';

function newestDebianServer(): string | null {
  if (!existsSync('/usr/lib/postgresql')) return null;
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v) && existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb')))
    .sort((x, y) => Number(y) - Number(x));
  return versions[0] ? join('/usr/lib/postgresql', versions[0], 'bin') : null;
}

const errnoIs = (err: unknown, ...codes: string[]) =>
  err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? '');
const SERVER_USER = 'postgres';

export type PgNodeName = 'primary' | 'standby';

export interface PgNode {
  name: PgNodeName;
  dataDir: string;
  logFile: string;
  host: string;
  port: number;
  /** The `application_name` its walreceiver uses (the standby's `cluster_name`). */
  applicationName: string;
}

export interface PgCluster {
  base: string;
  primary: PgNode;
  standby: PgNode;
  /** `pg_ctl start -w` (again) for a stopped or killed node. */
  restart(node: PgNodeName): Promise<void>;
  /** `pg_ctl stop -m fast`: a clean stop. */
  stop(node: PgNodeName): Promise<void>;
  /** SIGKILL to the postmaster of the primary, as a crash or a power cut would. Resolves once it is gone. */
  kill9Primary(): Promise<void>;
  /**
   * Black-holes (true) or restores (false) the replication link: the standby's connection stays
   * open but nothing flows. Needs `replicationGate`.
   */
  cutReplication(cut: boolean): void;
  /** Stops both servers (immediate mode) and removes every directory. Safe to call twice. */
  cleanup(): Promise<void>;
}

export interface PgClusterOptions {
  /** Name the standby in the primary's `synchronous_standby_names`. */
  synchronous?: boolean;
  /** Stream through a TCP gate (./tcp-gate.ts) that `cutReplication` black-holes. */
  replicationGate?: boolean;
  /** More server settings for both nodes (e.g. a longer `wal_sender_timeout`). */
  settings?: Record<string, string>;
}

const asServerUser = typeof process.getuid === 'function' && process.getuid() === 0;

function run(bin: string, args: string[], timeoutMs = 60_000): Promise<string> {
  const file = asServerUser ? 'runuser' : join(PG_BIN, bin);
  const argv = asServerUser ? ['-u', SERVER_USER, '--', join(PG_BIN, bin), ...args] : args;
  return new Promise((resolve, reject) => {
    execFile(file, argv, { timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${bin} ${args.join(' ')} failed: ${error.message}\n${stderr || stdout}`));
        return;
      }
      resolve(stdout);
    });
  });
}

function assertInstalled(): void {
  for (const bin of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres']) {
    if (!existsSync(join(PG_BIN, bin))) {
      throw new Error(
        `PostgreSQL server binary ${join(PG_BIN, bin)} is missing: install PostgreSQL with ` +
          '`apt-get update && apt-get install -y postgresql` (or point PG_BIN at its bin directory)',
      );
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function serverOwns(path: string): Promise<void> {
  if (!asServerUser) return;
  const { uid, gid } = await idOf(SERVER_USER);
  await chown(path, uid, gid);
}

let ids: { uid: number; gid: number } | null = null;
async function idOf(user: string): Promise<{ uid: number; gid: number }> {
  if (ids) return ids;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`user ${user} not found in /etc/passwd`);
  ids = { uid: Number(uid), gid: Number(gid) };
  return ids;
}

function settings(port: number, extra: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    port: String(port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: "''",
    max_connections: '30',
    shared_buffers: '16MB',
    fsync: 'off',
    full_page_writes: 'off',
    wal_level: 'replica',
    max_wal_senders: '4',
    max_replication_slots: '4',
    wal_keep_size: '64MB',
    hot_standby: 'on',
    // Replication timeouts well under any lease (contract section 6): a standby replies every second
    // and a silent peer is dropped after 3 s, not PostgreSQL's 60 s default.
    wal_receiver_status_interval: '1s',
    wal_sender_timeout: '3s',
    wal_receiver_timeout: '3s',
    wal_retrieve_retry_interval: '500ms',
    ...extra,
  };
  return `\n# mirrorwatch test cluster\n${Object.entries(all)
    .map(([k, v]) => `${k} = ${v}`)
    .join('\n')}\n`;
}

/** The postmaster's PID, or null when the server is not running (no postmaster.pid). */
async function postmasterPid(dataDir: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (err) {
    if (errnoIs(err, 'ENOENT')) return null;
    throw err;
  }
}

/** The server's processes: the postmaster and its children (found through /proc). */
async function processTree(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // A process may exit between the listing and the read.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch((err: unknown) => {
      if (errnoIs(err, 'ENOENT', 'ESRCH')) return '';
      throw err;
    });
    // Fields after the parenthesised command name: state, ppid, ...
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return [pid, ...children];
}

/**
 * Until its parent reaps it: a zombie still counts, because the restarted server refuses to start
 * while the PID in the old postmaster.pid exists. (Here init reaps orphans lazily, about a second.)
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if (errnoIs(err, 'ESRCH')) return false;
    throw err;
  }
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  assertInstalled();
  const base = await mkdtemp(join(tmpdir(), 'mirrorwatch-pg-'));
  // The server user must be able to enter the directory and create its data dirs in it.
  await chmod(base, 0o755);
  await serverOwns(base);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const node = (name: PgNodeName, port: number): PgNode => ({
    name,
    dataDir: join(base, name),
    logFile: join(base, `${name}.log`),
    host: '127.0.0.1',
    port,
    applicationName: `mirrorwatch_${name}`,
  });
  const nodes = { primary: node('primary', primaryPort), standby: node('standby', standbyPort) };
  const start = (n: PgNode) => run('pg_ctl', ['start', '-w', '-t', '60', '-D', n.dataDir, '-l', n.logFile]);
  const stopImmediate = async (n: PgNode) => {
    if ((await postmasterPid(n.dataDir)) === null) return;
    await run('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', n.dataDir]).catch(() => undefined);
  };

  const gate = options.replicationGate ? await startTcpGate(nodes.primary) : null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await gate?.close();
    await Promise.all([stopImmediate(nodes.primary), stopImmediate(nodes.standby)]);
    await rm(base, { recursive: true, force: true });
  };

  try {
    const { primary, standby } = nodes;
    await run('initdb', ['-D', primary.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '-N']);
    await appendFile(join(primary.dataDir, 'postgresql.conf'), settings(primary.port, options.settings));
    await appendFile(
      join(primary.dataDir, 'pg_hba.conf'),
      '\nhost replication all 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 trust\n',
    );
    await start(primary);
    await run('pg_basebackup', [
      ...['-h', primary.host, '-p', String(primary.port), '-U', 'postgres'],
      ...['-D', standby.dataDir, '-R', '-X', 'stream', '-c', 'fast', '-N'],
    ]);
    // Later lines win: the copied postgresql.conf gets the standby's own port and walreceiver name.
    await appendFile(
      join(standby.dataDir, 'postgresql.conf'),
      settings(standby.port, { ...options.settings, cluster_name: `'${standby.applicationName}'` }),
    );
    if (gate) {
      // Later lines win over what pg_basebackup -R wrote: the standby streams through the gate.
      const conninfo = `host=127.0.0.1 port=${gate.port} user=postgres application_name=${standby.applicationName}`;
      await appendFile(join(standby.dataDir, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo}'\n`);
    }
    if (options.synchronous) {
      // Only the primary's copy names the standby, so the standby, once promoted, waits for nobody.
      await appendFile(
        join(primary.dataDir, 'postgresql.conf'),
        `synchronous_standby_names = '${standby.applicationName}'\n`,
      );
      await run('pg_ctl', ['reload', '-D', primary.dataDir]);
    }
    await start(standby);
  } catch (error) {
    const logs = await Promise.all(
      [nodes.primary.logFile, nodes.standby.logFile].map((f) => readFile(f, 'utf8').catch(() => '')),
    );
    await cleanup();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`could not build the PostgreSQL test cluster in ${base}: ${message}\n${logs.join('\n')}`);
  }

  return {
    base,
    ...nodes,
    restart: async (name) => {
      await start(nodes[name]);
    },
    stop: async (name) => {
      await run('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', nodes[name].dataDir]);
    },
    kill9Primary: async () => {
      const pid = await postmasterPid(nodes.primary.dataDir);
      if (pid === null) throw new Error(`no postmaster.pid in ${nodes.primary.dataDir}: the primary is not running`);
      // The whole server dies at once, as in a power cut: children left behind would hold the
      // shared memory and keep the restarted server from starting.
      const pids = await processTree(pid);
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch (err) {
          // A child may exit on its own once the postmaster is gone: that is the point.
          if (!errnoIs(err, 'ESRCH')) throw err;
        }
      }
      const deadline = Date.now() + 10_000;
      while (pids.some(alive)) {
        if (Date.now() > deadline)
          throw new Error(`server processes ${pids.join(', ')} still alive 10 s after SIGKILL`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    cutReplication: (cut) => {
      if (!gate) throw new Error('cutReplication needs startPgCluster({ replicationGate: true })');
      gate.cut(cut);
    },
    cleanup,
  };
}
