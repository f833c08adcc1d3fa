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

  it('lays flags over the file and reads secrets from env or files', async () => {
    const config = await file('agent.json', example);
    const hookFile = await file('hook', 'hook-secret\n');
    const settings = await loadAgentSettings(
      ['--config', config, '--port', '9009', '--db-port', '6543', '--hook-secret-file', hookFile],
      { WEBHOOK_SECRET: 'old, new' },
    );
    if (settings === 'help') throw new Error('unexpected help');
    expect(settings.config.listen.port).toBe(9009);
    expect(settings.config.database?.port).toBe(6543);
    expect(settings.webhookSecrets).toEqual(['old', 'new']);
    expect(settings.hookSecret).toBe('hook-secret');
  });

  it('builds an arbiter from flags alone', async () => {
    const settings = await loadAgentSettings(
      [
        ...['--role', 'arbiter', '--store', 'gz-tianhe', '--node', 'gz-tianhe-arb', '--state-dir', dir],
        ...['--arbiter-node', 'gz-tianhe-a=http://10.0.0.1:8008', '--arbiter-node', 'gz-tianhe-b=10.0.0.2:5432'],
      ],
      {},
    );
    if (settings === 'help') throw new Error('unexpected help');
    expect(settings.config.arbiter?.nodes).toEqual([
      { id: 'gz-tianhe-a', url: 'http://10.0.0.1:8008' },
      { id: 'gz-tianhe-b', tcp: '10.0.0.2:5432' },
    ]);
    expect(settings.webhookSecrets).toEqual([]);
  });

  it('fails with a clear message for a missing secret, bad JSON, a bad number or an unknown flag', async () => {
    const config = await file('agent2.json', example);
    expect(await failure(loadAgentSettings(['--config', config], { HOOK_SECRET: 'h' }))).toContain(
      'WEBHOOK_SECRET is required',
    );
    expect(await failure(loadAgentSettings(['--config', config], { WEBHOOK_SECRET: 'w' }))).toContain(
      'push mode needs HOOK_SECRET',
    );
    const broken = await file('broken.json', '{"store": ');
    expect(await failure(loadAgentSettings(['--config', broken], {}))).toContain(`${broken} is not valid JSON`);
    expect(
      await failure(
        loadAgentSettings(['--config', config, '--port', 'eighty'], { WEBHOOK_SECRET: 'w', HOOK_SECRET: 'h' }),
      ),
    ).toContain('listen.port (--port)');
    expect(await failure(loadAgentSettings(['--colour'], {}))).toContain('--colour');
    expect(await loadAgentSettings(['--help'], {})).toBe('help');
  });
});
