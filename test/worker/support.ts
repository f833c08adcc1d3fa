/** Helpers for the Workers tests: API calls with a per-test Fleet, stand-in agents, rounds on a clock. */

import { createExecutionContext, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { TEST_SECRETS } from '#harness/test-secrets.ts';
import { deriveKey, PRINCIPAL_HEADER } from '#shared/keys.ts';
import { AlertMessage } from '#shared/schemas/alert.ts';
import type { FleetConfigInput } from '#shared/schemas/config.ts';
import { signedHeaders } from '#shared/signature.ts';
import { app } from '#worker/app.ts';
import { monitorStub } from '#worker/monitor/stub.ts';
import { arbiterReport, primaryReport, standbyReport } from '../shared/support/observations.ts';

export { arbiterReport, primaryReport, standbyReport };

export const TOKENS = { admin: 'admin-token-2', operator: 'operator-token', viewer: 'viewer-token' } as const;

let counter = 0;
/** A name no other test uses, for Durable Objects and stores. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export function standIns() {
  return inject('standIns');
}

/** A client bound to its own Fleet object, so tests never see each other's config. */
export function client(fleet = unique('fleet'), overrides: Partial<Env> = {}) {
  const testEnv = { ...env, ...overrides, FLEET_NAME: fleet };
  const call = async (path: string, init: RequestInit & { token?: keyof typeof TOKENS | null } = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${TOKENS[init.token]}`);
    const ctx = createExecutionContext();
    const res = await app.request(path, { ...init, headers }, testEnv, ctx);
    await waitOnExecutionContext(ctx); // what the route left running (a cache write) is done too
    return res;
  };
  return {
    fleet,
    env: testEnv,
    call,
    putConfig: (config: unknown) =>
      call('/api/v1/config', { method: 'PUT', token: 'admin', body: JSON.stringify(config) }),
  };
}

export async function setAgent(name: string, behaviour: unknown): Promise<void> {
  const res = await fetch(`${standIns().baseUrl}/control/${name}`, { method: 'PUT', body: JSON.stringify(behaviour) });
  if (res.status !== 204) throw new Error(`stand-in ${name}: control answered ${res.status}`);
}

/** A POST a stand-in received (its actions, or alerts and pings when it plays a receiver). */
export interface RecordedPost {
  headers: Record<string, string>;
  body: string;
}

export async function actionsTo(name: string): Promise<RecordedPost[]> {
  return (await (await fetch(`${standIns().baseUrl}/control/${name}/actions`)).json()) as RecordedPost[];
}

/** The headers of every health request a stand-in received (lower-cased), oldest first. */
export async function probesTo(name: string): Promise<Array<Record<string, string>>> {
  return (await (await fetch(`${standIns().baseUrl}/control/${name}/probes`)).json()) as Array<Record<string, string>>;
}

/** A receiver's URL: a stand-in that records every POST (`actionsTo`) and answers 202 unless told. */
export const receiverUrl = (name: string) => `${standIns().baseUrl}/agents/${name}/actions`;

export const agentUrl = (name: string) => `${standIns().baseUrl}/agents/${name}`;

/** A store whose agents are stand-ins named `<store>-a`, `<store>-b`, `<store>-arb`, `<store>-vip`. */
export function storeConfig(id: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    name: `Store ${id}`,
    region: 'South China',
    activeEndpoint: agentUrl(`${id}-vip`),
    arbiter: { url: agentUrl(`${id}-arb`) },
    nodes: [
      { id: `${id}-a`, url: agentUrl(`${id}-a`), priority: 100 },
      { id: `${id}-b`, url: agentUrl(`${id}-b`), priority: 50 },
    ],
    ...extra,
  };
}

export function fleetConfig(stores: unknown[], defaults: Record<string, unknown> = {}): FleetConfigInput {
  return { version: 1, defaults: { timeoutMs: 300, ...defaults }, stores } as FleetConfigInput;
}

/** All four agents of a store answering as a healthy pair. */
export async function healthyStore(id: string, epoch = 1): Promise<void> {
  await Promise.all([
    setAgent(`${id}-a`, { mode: 'report', report: primaryReport(`${id}-a`, epoch) }),
    setAgent(`${id}-b`, { mode: 'report', report: standbyReport(`${id}-b`, epoch) }),
    setAgent(`${id}-vip`, { mode: 'report', report: primaryReport(`${id}-a`, epoch) }),
    setAgent(`${id}-arb`, { mode: 'report', report: arbiterReport({ [`${id}-a`]: true, [`${id}-b`]: true }, epoch) }),
  ]);
}

/**
 * Drives a store's monitor on a simulated clock: `round()` moves the clock by `stepMs` and runs
 * what is due, through the same entry point the alarm uses.
 */
export async function simulatedMonitor(storeId: string, startAt = Date.UTC(2026, 10, 21, 10, 0, 0)) {
  const stub = monitorStub(env, storeId);
  let clock = startAt;
  const attach = () =>
    runInDurableObject(stub, (m) => {
      m.clock = () => clock;
    });
  await attach();
  return {
    stub,
    now: () => clock,
    /** After an eviction the new instance runs on the real clock until re-attached. */
    attach,
    async round(stepMs = 5000) {
      clock += stepMs;
      await runInDurableObject(stub, (m) => m.tick());
      return stub.status();
    },
    async rounds(n: number, stepMs = 5000) {
      for (let i = 0; i < n; i++) await this.round(stepMs);
      return stub.status();
    },
  };
}

export interface WatchedOptions {
  store?: Record<string, unknown>;
  defaults?: Record<string, unknown>;
  /** Top-level config fields: alerts, maintenance, deadMan. */
  fleet?: Record<string, unknown>;
  startAt?: number;
}

/** A healthy stand-in store put under watch on its own Fleet, on a simulated clock: only its first round has run. */
export async function newlyWatchedStore(options: WatchedOptions = {}) {
  const id = unique('st');
  await healthyStore(id);
  const monitor = await simulatedMonitor(id, options.startAt);
  const api = client();
  const config = { ...fleetConfig([storeConfig(id, options.store)], options.defaults), ...options.fleet };
  expect((await api.putConfig(config)).status).toBe(200);
  await monitor.round(0);
  return { id, monitor, api };
}

/** A healthy stand-in store on its own Fleet, watched on a simulated clock until it shows healthy. */
export async function watchedStore(options: WatchedOptions = {}) {
  const watched = await newlyWatchedStore(options);
  expect((await watched.monitor.rounds(3))?.status).toBe('healthy');
  return watched;
}

/** Alert settings that send to one webhook receiver (a stand-in), and what it has received. */
export function alertReceiver(name: string, settings: Record<string, unknown> = {}) {
  return {
    alerts: {
      channels: [{ id: 'ops', type: 'webhook', url: receiverUrl(name), secret: 'ALERT_WEBHOOK_SECRET' }],
      routes: [{ channels: ['ops'] }],
      ...settings,
    },
    received: async () =>
      (await actionsTo(name)).map((p) => ({ ...p, message: AlertMessage.parse(JSON.parse(p.body)) })),
  };
}

/**
 * Headers of a hook signed as the contract says: with key(master, store, principal), naming the
 * principal. `master` defaults to the test HOOK_SECRET (the first of its values when rotated).
 */
export async function hookHeaders(
  store: string,
  principal: string,
  body: string,
  options: { master?: string; nowMs?: number } = {},
): Promise<Record<string, string>> {
  const key = await deriveKey(options.master ?? TEST_SECRETS.HOOK_SECRET, store, principal);
  return {
    ...(await signedHeaders(key, body, options.nowMs ?? Date.now())),
    [PRINCIPAL_HEADER]: principal,
  };
}

/** Waits until a `held` stand-in holds at least one health request open (a round is in flight). */
export async function untilHeld(name: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const res = await fetch(`${standIns().baseUrl}/control/${name}/held`);
    const { held } = (await res.json()) as { held: number };
    if (held > 0) return;
    await scheduler.wait(10);
  }
  throw new Error(`stand-in ${name}: no health request arrived to hold`);
}

/** Answers every health request `name` holds open. */
export async function release(name: string): Promise<void> {
  const res = await fetch(`${standIns().baseUrl}/control/${name}/release`, { method: 'POST' });
  if (!res.ok) throw new Error(`stand-in ${name}: release answered ${res.status}`);
}
