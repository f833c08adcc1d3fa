/**
 * The agent's HTTP face with a stand-in backend: the body limit holds no connection open, and an
 * action is applied only after its idempotency record is on disk (a state directory that cannot be
 * written refuses it; a record written before a crash answers the retry without a second apply).
 */
import { createHmac } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '#agent/backend.ts';
import { DurableLedger, LEDGER_FILE } from '#agent/ledger-file.ts';
import { type AgentServer, fromThisHost, startAgentServer } from '#agent/server.ts';
import { actionBody, json, probe } from '#harness/sim-harness.ts';

const STORE = 'gz-tianhe';
const NODE = 'gz-tianhe-b';
const hex = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');
const NODE_KEY = hex('server-test-master', `mirrorwatch-key/v2\n${STORE}\n${NODE}`);

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-agent-server-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function standIn(onPromote: (epoch: number) => Promise<void> = async () => undefined) {
  const calls: string[] = [];
  let epoch = 3;
  const backend: Backend = {
    report: async () => ({ node: NODE, role: 'standby', epoch, healthy: true, time: new Date().toISOString() }),
    promote: async (e) => {
      calls.push(`promote ${e}`);
      await onPromote(e);
      epoch = e;
      return { state: 'accepted', message: 'promoting' };
    },
    fence: async (e) => {
      calls.push(`fence ${e}`);
      return { state: 'completed', message: 'fenced' };
    },
  };
  return { backend, calls };
}

async function serve(stateDir: string, backend: Backend, logs: string[] = []): Promise<AgentServer> {
  return startAgentServer({
    backend,
    store: STORE,
    node: NODE,
    actions: { keys: [NODE_KEY], ledger: await DurableLedger.open(stateDir) },
    log: (l) => logs.push(l),
  });
}

function post(url: string, epoch: number) {
  const { raw, key } = actionBody({ store: STORE, node: NODE, epoch });
  const timestamp = Math.floor(Date.now() / 1000);
  return probe(`${url}/actions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': key,
      'x-mirrorwatch-timestamp': String(timestamp),
      'x-mirrorwatch-signature': `v1=${hex(NODE_KEY, `${timestamp}.${raw}`)}`,
    },
    body: raw,
  });
}

/**
 * Writes a request head and then body bytes for as long as the server lets it, and returns what
 * the server answered and how many body bytes it had sent when the server closed the connection.
 */
function oversized(url: string, head: string, chunk: Buffer, max: number): Promise<{ answer: string; sent: number }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    let closed = false;
    socket.on('data', (d) => {
      answer += String(d);
    });
    socket.on('error', () => undefined); // a reset while writing is how a closed connection may show
    socket.on('close', () => {
      closed = true;
      resolve({ answer, sent });
    });
    socket.write(head);
    const pump = () => {
      while (!closed && sent < max) {
        sent += chunk.length;
        if (!socket.write(chunk)) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!closed) reject(new Error(`the server read all ${sent} bytes without closing the connection`));
    };
    pump();
  });
}

describe('a body over 1 MiB', () => {
  it('is answered 413 and the connection closed, without reading what a declared length promises', async () => {
    const server = await serve(join(scratch, 'declared'), standIn().backend);
    try {
      const head = `POST /actions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${64 * 1024 * 1024}\r\n\r\n`;
      const { answer, sent } = await oversized(server.url, head, Buffer.alloc(64 * 1024, 0x20), 8 * 1024 * 1024);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer.toLowerCase()).toContain('connection: close');
      expect(sent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });

  it('is answered 413 and the connection closed once a chunked body passes 1 MiB', async () => {
    const server = await serve(join(scratch, 'chunked'), standIn().backend);
    try {
      const head =
        'POST /actions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n';
      const piece = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 0x20), Buffer.from('\r\n')]);
      const { answer, sent } = await oversized(server.url, head, piece, 8 * 1024 * 1024);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(sent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});

describe('durable idempotency records', () => {
  it('refuses an action with 503 when the state directory cannot be written, and applies nothing', async () => {
    const stateDir = join(scratch, 'unwritable');
    const { backend, calls } = standIn();
    const server = await serve(stateDir, backend);
    try {
      // The directory is replaced by a file: every write under it fails, as on a full or broken disk.
      await rm(stateDir, { recursive: true, force: true });
      await writeFile(stateDir, 'not a directory');
      const answer = await post(server.url, 4);
      expect(answer).toMatchObject({ kind: 'answer', status: 503 });
      expect(json(answer)).toMatchObject({ error: { code: 'ledger_unwritable' } });
      expect(JSON.stringify(json(answer))).toContain('not applied');
      expect(calls).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('an agent that stopped mid-action answers the retry from its record and does not apply it again', async () => {
    const stateDir = join(scratch, 'crashed');
    const snapshot = join(scratch, 'crashed-snapshot');
    // The moment of the crash: while the backend applies, the state directory is copied as it is.
    const first = standIn(() => cp(stateDir, snapshot, { recursive: true }));
    const server = await serve(stateDir, first.backend);
    expect(await post(server.url, 4)).toMatchObject({ kind: 'answer', status: 202 });
    await server.close();
    expect(JSON.parse(await readFile(join(snapshot, LEDGER_FILE), 'utf8'))).toMatchObject({
      entries: [{ key: `${STORE}:4:promote:${NODE}`, epoch: 4, pending: true }],
    });

    const restarted = standIn();
    const again = await serve(snapshot, restarted.backend);
    try {
      const retry = await post(again.url, 4);
      expect(retry).toMatchObject({ kind: 'answer', status: 202 });
      expect(json(retry)).toMatchObject({ ok: true, state: 'accepted', epoch: 4 });
      expect(restarted.calls).toEqual([]);
    } finally {
      await again.close();
    }
  });
});

describe('GET /local/primary: may a primary-only job run on this node', () => {
  it('answers the node’s own gate to this host, and only GET', async () => {
    const { backend } = standIn();
    const server = await serve(join(scratch, 'local-primary'), backend);
    try {
      const gate = await probe(`${server.url}/local/primary`);
      expect(gate).toMatchObject({ kind: 'answer', status: 200 });
      expect(json(gate)).toEqual({ store: STORE, node: NODE, epoch: 3, serving: false, reason: 'standby at epoch 3' });
      expect(await probe(`${server.url}/local/primary`, { method: 'POST' })).toMatchObject({ status: 405 });
    } finally {
      await server.close();
    }
  });

  it('counts only loopback, or a request to this host’s own address from it, as this host', () => {
    expect(fromThisHost({ remoteAddress: '127.0.0.1', localAddress: '127.0.0.1' })).toBe(true);
    expect(fromThisHost({ remoteAddress: '::ffff:127.0.0.1', localAddress: '::ffff:127.0.0.1' })).toBe(true);
    expect(fromThisHost({ remoteAddress: '::1', localAddress: '::1' })).toBe(true);
    expect(fromThisHost({ remoteAddress: '10.0.0.5', localAddress: '10.0.0.5' })).toBe(true);
    expect(fromThisHost({ remoteAddress: '10.0.0.9', localAddress: '10.0.0.5' })).toBe(false);
    expect(fromThisHost({ remoteAddress: '::ffff:10.0.0.9', localAddress: '::ffff:10.0.0.5' })).toBe(false);
    expect(fromThisHost({})).toBe(false);
  });
});
