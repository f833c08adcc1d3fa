/**
 * Starts a simulated fleet on an ephemeral 127.0.0.1 port for Node tests, with promotions applied
 * at once (no delay to wait for) and log lines collected instead of printed.
 */
import { deriveKey } from '#shared/keys.ts';
import { signedHeaders } from '#shared/signature.ts';
import { type ControlClient, controlClient } from '#sim/control-client.ts';
import { demoStoreSpecs } from '#sim/demo-fleet.ts';
import { FleetSim, type FleetSimOptions } from '#sim/fleet-sim.ts';
import type { StoreSpec } from '#sim/model.ts';
import { type SimServer, startSimServer } from '#sim/server.ts';

export const WEBHOOK_SECRET = 'test-webhook-secret';
export const CONTROL_TOKEN = 'test-control-token';

export interface Harness {
  server: SimServer;
  sim: FleetSim;
  control: ControlClient;
  specs: StoreSpec[];
  logs: string[];
  nodeUrl(storeId: string, nodeId: string): string;
  close(): Promise<void>;
}

export async function startHarness(
  options: { stores?: number; specs?: StoreSpec[] } & FleetSimOptions = {},
): Promise<Harness> {
  const logs: string[] = [];
  const specs = options.specs ?? demoStoreSpecs({ stores: options.stores ?? 8 });
  const sim = new FleetSim(specs, { promoteDelayMs: 0, log: (l) => logs.push(l), ...options });
  const server = await startSimServer({
    sim,
    webhookSecret: WEBHOOK_SECRET,
    controlToken: CONTROL_TOKEN,
    log: (l) => logs.push(l),
  });
  return {
    server,
    sim,
    specs,
    logs,
    control: controlClient(server.url, CONTROL_TOKEN),
    nodeUrl: (storeId, nodeId) => `${server.url}/stores/${storeId}/nodes/${nodeId}`,
    close: () => server.close(),
  };
}

export type Probe =
  | { kind: 'answer'; status: number; text: string; headers: Headers }
  | { kind: 'timeout' }
  | { kind: 'reset'; message: string };

/** One HTTP request as the edge would make it, classified: answered, timed out or connection reset. */
export async function probe(url: string, init: RequestInit = {}, timeoutMs = 2000): Promise<Probe> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { kind: 'answer', status: res.status, text: await res.text(), headers: res.headers };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'timeout' };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
    return { kind: 'reset', message: `${String(error)} ${cause}` };
  }
}

export interface ActionInit {
  action?: string;
  store: string;
  node: string;
  epoch: number;
  failoverId?: string;
}

/** A contract-shaped action body and the Idempotency-Key the worker would send with it. */
export function actionBody(a: ActionInit, extra: Record<string, unknown> = {}): { raw: string; key: string } {
  const action = a.action ?? 'promote';
  const body = {
    action,
    store: a.store,
    node: a.node,
    epoch: a.epoch,
    failoverId: a.failoverId ?? 'fo-test-1',
    reason: 'primary lost (test)',
    requestedBy: 'auto',
    issuedAt: new Date().toISOString(),
    ...extra,
  };
  return { raw: JSON.stringify(body), key: `${a.store}:${a.epoch}:${action}:${a.node}` };
}

export interface SendActionOptions {
  /** The Idempotency-Key; null leaves it out. */
  key: string | null;
  /** The master the worker holds (default WEBHOOK_SECRET); the body is signed with a key derived from it. */
  master?: string;
  /** The node whose key signs; by default the body's own `store`/`node`, as the worker signs. */
  as?: { store: string; node: string };
  nowMs?: number;
  headers?: Record<string, string>;
}

function addressee(rawBody: string): { store: string; node: string } {
  try {
    const body: unknown = JSON.parse(rawBody);
    if (typeof body === 'object' && body !== null && 'store' in body && 'node' in body) {
      const { store, node } = body;
      if (typeof store === 'string' && typeof node === 'string') return { store, node };
    }
  } catch {
    // not JSON: the caller must say whose key signs
  }
  throw new Error('sendAction: the body names no store and node; pass `as` to say whose key signs it');
}

/**
 * POSTs a raw body to `url/actions` signed as the worker would: with `key(master, store, node)` of
 * the node it names (contract v2, section 4).
 */
export async function sendAction(url: string, rawBody: string, options: SendActionOptions): Promise<Probe> {
  const signer = options.as ?? addressee(rawBody);
  const signingKey = await deriveKey(options.master ?? WEBHOOK_SECRET, signer.store, signer.node);
  const signed = await signedHeaders(signingKey, rawBody, options.nowMs ?? Date.now());
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // Lower-cased so an override replaces a signed header instead of being joined to it.
  for (const [name, value] of Object.entries({ ...signed, ...options.headers })) headers[name.toLowerCase()] = value;
  if (options.key !== null) headers['idempotency-key'] = options.key;
  return probe(`${url}/actions`, { method: 'POST', headers, body: rawBody });
}

export function json(p: Probe): unknown {
  if (p.kind !== 'answer') throw new Error(`expected an answer, got ${p.kind}`);
  return JSON.parse(p.text);
}
