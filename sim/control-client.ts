/** A small client of the simulator's control API for tests and scripts; every answer is parsed. */
import type { z } from 'zod';
import type { ActionFilter } from './action-log.ts';
import {
  ActionsResponse,
  ClearedResponse,
  type FaultName,
  type FaultRequest,
  type RecordedAction,
  type SimStoreState,
  StateResponse,
  StoreResponse,
} from './control-schema.ts';

/** The fault's arguments: everything in its request but the name. */
export type FaultArgs<F extends FaultName> = Omit<Extract<FaultRequest, { fault: F }>, 'fault'>;

export interface ControlClient {
  inject<F extends FaultName>(storeId: string, fault: F, args?: FaultArgs<F>): Promise<SimStoreState>;
  state(): Promise<SimStoreState[]>;
  store(storeId: string): Promise<SimStoreState>;
  actions(filter?: ActionFilter): Promise<RecordedAction[]>;
  clearActions(): Promise<void>;
}

export function controlClient(baseUrl: string, token: string, fetchImpl: typeof fetch = fetch): ControlClient {
  const root = baseUrl.replace(/\/+$/, '');

  async function call<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetchImpl(`${root}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`simulator control ${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
    return schema.parse(JSON.parse(text));
  }

  return {
    async inject(storeId, fault, args) {
      const body = { ...(args ?? {}), fault };
      const answer = await call(StoreResponse, 'POST', `/control/stores/${encodeURIComponent(storeId)}/faults`, body);
      return answer.store;
    },
    async state() {
      return (await call(StateResponse, 'GET', '/control/state')).stores;
    },
    async store(storeId) {
      return (await call(StoreResponse, 'GET', `/control/stores/${encodeURIComponent(storeId)}`)).store;
    },
    async actions(filter = {}) {
      const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v !== undefined)).toString();
      return (await call(ActionsResponse, 'GET', `/control/actions${query ? `?${query}` : ''}`)).actions;
    },
    async clearActions() {
      await call(ClearedResponse, 'DELETE', '/control/actions');
    },
  };
}
