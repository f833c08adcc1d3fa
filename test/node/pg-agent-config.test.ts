import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadAgentSettings, parseAgentConfig } from '#agent/config.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mirrorwatch-agent-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Keys as `npm run keys` prints them, computed here with node:crypto. */
const keyOf = (master: string, principal: string) =>
  createHmac('sha256', master).update(`mirrorwatch-key/v2\ngz-tianhe\n${principal}`).digest('hex');
const ACTION_KEY = keyOf('wh-master', 'gz-tianhe-b');
const PUSH_KEY = keyOf('hook-master', 'gz-tianhe-b');
const keys = { MIRRORWATCH_ACTION_KEY: ACTION_KEY, MIRRORWATCH_PUSH_KEY: PUSH_KEY };

const example = {
  store: 'gz-tianhe',
  node: 'gz-tianhe-b',
  listen: { host: '0.0.0.0', port: 8008 },
  stateDir: '/var/lib/mirrorwatch-agent',
  database: { host: '127.0.0.1', port: 5432, user: 'postgres', dbname: 'postgres' },
  push: { url: 'https://mirrorwatch.example.workers.dev/hooks/v1/agent/gz-tianhe', intervalSeconds: 5 },
};

async function file(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected a ConfigError');
}

describe('agent config', () => {
  it('accepts the documented example and fills the defaults', () => {
    const config = parseAgentConfig(example, 'agent.json');
    expect(config).toMatchObject({
      role: 'database',
      resources: true,
      database: { timeoutMs: 2000, promoteWaitSeconds: 4 },
      push: { intervalSeconds: 5 },
    });
    expect(parseAgentConfig({ ...example, listen: undefined }, 'x').listen).toEqual({ host: '0.0.0.0', port: 8008 });
  });

  it('turns self-fencing on by default, takes `false` as off, and names a bad lease length', () => {
    expect(parseAgentConfig(example, 'x').selfFence).toEqual({ enabled: true, leaseSeconds: 15, pollMs: 1000 });
    expect(parseAgentConfig({ ...example, selfFence: false }, 'x').selfFence).toMatchObject({ enabled: false });
    const custom = parseAgentConfig({ ...example, selfFence: { leaseSeconds: 5, countedStandbys: ['b'] } }, 'x');
    expect(custom.selfFence).toMatchObject({ enabled: true, leaseSeconds: 5, countedStandbys: ['b'] });
    expect(() => parseAgentConfig({ ...example, selfFence: { leaseSeconds: 0 } }, 'x')).toThrow(
      /selfFence\.leaseSeconds/,
    );
  });

  it('names every bad field, and the flag that sets it', () => {
    const bad = { ...example, node: 'Bad Id', listen: { port: 70000 }, database: { port: 'five' }, extra: 1 };
    const message = (() => {
      try {
        parseAgentConfig(bad, 'agent.json');
      } catch (error) {
        return error instanceof Error ? error.message : '';
      }
      return '';
    })();
    expect(message).toContain('invalid agent config (agent.json)');
    expect(message).toMatch(/node \(--node\): must match/);
    expect(message).toContain('listen.port (--port)');
    expect(message).toContain('database.port (--db-port)');
    expect(message).toContain('extra');
  });

  it('requires a database for role database and nodes for role arbiter', () => {
    const { database: _database, ...noDb } = example;
    expect(() => parseAgentConfig(noDb, 'x')).toThrow(/database: required when role is "database"/);
    expect(() => parseAgentConfig({ ...noDb, role: 'arbiter' }, 'x')).toThrow(/arbiter: required/);
    expect(() =>
      parseAgentConfig({ ...noDb, role: 'arbiter', arbiter: { nodes: [{ id: 'gz-tianhe-a' }] } }, 'x'),
    ).toThrow(/arbiter.nodes\[0\]: needs a url/);
  });

  it('lays flags over the file and reads its keys from the environment or files', async () => {
    const config = await file('agent.json', example);
    const pushFile = await file('push-key', `${PUSH_KEY}\n`);
    const rotated = `${keyOf('wh-new', 'gz-tianhe-b')}, ${ACTION_KEY}`;
    const settings = await loadAgentSettings(
      ['--config', config, '--port', '9009', '--db-port', '6543', '--push-key-file', pushFile],
      { MIRRORWATCH_ACTION_KEY: rotated },
    );
    if (settings === 'help') throw new Error('unexpected help');
    expect(settings.config.listen.port).toBe(9009);
    expect(settings.config.database?.port).toBe(6543);
    expect(settings.actionKeys).toEqual([keyOf('wh-new', 'gz-tianhe-b'), ACTION_KEY]);
    expect(settings.push).toEqual({ keys: [PUSH_KEY], principal: 'gz-tianhe-b' });
  });

  it('builds an arbiter from flags alone; it pushes as "arbiter" and needs no action key', async () => {
    const settings = await loadAgentSettings(
      [
        ...['--role', 'arbiter', '--store', 'gz-tianhe', '--node', 'gz-tianhe-arb', '--state-dir', dir],
        ...['--arbiter-node', 'gz-tianhe-a=http://10.0.0.1:8008', '--arbiter-node', 'gz-tianhe-b=10.0.0.2:5432'],
        ...['--push-url', 'https://mw.example/hooks/v1/agent/gz-tianhe'],
      ],
      { MIRRORWATCH_PUSH_KEY: keyOf('hook-master', 'arbiter') },
    );
    if (settings === 'help') throw new Error('unexpected help');
    expect(settings.config.arbiter?.nodes).toEqual([
      { id: 'gz-tianhe-a', url: 'http://10.0.0.1:8008' },
      { id: 'gz-tianhe-b', tcp: '10.0.0.2:5432' },
    ]);
    expect(settings.actionKeys).toEqual([]);
    expect(settings.push).toEqual({ keys: [keyOf('hook-master', 'arbiter')], principal: 'arbiter' });
  });

  it('refuses to start with a master secret where a key belongs, naming the command that prints the keys', async () => {
    const config = await file('agent-masters.json', example);
    const fix = 'npm run keys -- gz-tianhe gz-tianhe-b';
    for (const env of [
      { ...keys, WEBHOOK_SECRET: 'wh-master' },
      { ...keys, HOOK_SECRET: 'hook-master' },
      { ...keys, MIRRORWATCH_ACTION_KEY: 'wh-master' },
      { ...keys, MIRRORWATCH_PUSH_KEY: `${PUSH_KEY},hook-master` },
      { ...keys, MIRRORWATCH_ACTION_KEY: ACTION_KEY.toUpperCase() },
    ]) {
      const message = await failure(loadAgentSettings(['--config', config], env));
      expect(message).toContain(fix);
      expect(message).not.toContain('wh-master');
      expect(message).not.toContain('hook-master');
    }
    const masterInFile = await file('master-file', 'wh-master\n');
    const fromFile = await failure(
      loadAgentSettings(['--config', config, '--action-key-file', masterInFile], { MIRRORWATCH_PUSH_KEY: PUSH_KEY }),
    );
    expect(fromFile).toContain(`actionKeyFile ${masterInFile} is not a key`);
  });

  it('names the retired master-secret fields and flags, and what replaced them', async () => {
    const old = await file('agent-v1.json', { ...example, webhookSecretFile: '/etc/mirrorwatch/webhook-secret' });
    expect(await failure(loadAgentSettings(['--config', old], keys))).toMatch(/webhookSecretFile: gone.*actionKeyFile/);
    const oldPush = await file('agent-v1-push.json', { ...example, push: { ...example.push, hookSecretFile: '/x' } });
    expect(await failure(loadAgentSettings(['--config', oldPush], keys))).toMatch(
      /push.hookSecretFile: gone.*pushKeyFile/,
    );
    const config = await file('agent3.json', example);
    expect(await failure(loadAgentSettings(['--config', config, '--hook-secret', 's3cret'], keys))).toMatch(
      /--hook-secret is gone.*--push-key-file/,
    );
    expect(await failure(loadAgentSettings(['--config', config, '--webhook-secret-file=/x'], keys))).toMatch(
      /--webhook-secret-file is gone.*--action-key-file/,
    );
  });

  it('fails with a clear message for a missing key, bad JSON, a bad number or an unknown flag', async () => {
    const config = await file('agent2.json', example);
    expect(await failure(loadAgentSettings(['--config', config], { MIRRORWATCH_PUSH_KEY: PUSH_KEY }))).toContain(
      'MIRRORWATCH_ACTION_KEY (or actionKeyFile) is required: npm run keys -- gz-tianhe gz-tianhe-b prints it',
    );
    expect(await failure(loadAgentSettings(['--config', config], { MIRRORWATCH_ACTION_KEY: ACTION_KEY }))).toContain(
      'MIRRORWATCH_PUSH_KEY (or pushKeyFile) is required',
    );
    const broken = await file('broken.json', '{"store": ');
    expect(await failure(loadAgentSettings(['--config', broken], {}))).toContain(`${broken} is not valid JSON`);
    expect(await failure(loadAgentSettings(['--config', config, '--port', 'eighty'], keys))).toContain(
      'listen.port (--port)',
    );
    expect(await failure(loadAgentSettings(['--colour'], {}))).toContain('--colour');
    expect(await loadAgentSettings(['--help'], {})).toBe('help');
  });
});
