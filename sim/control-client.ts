/** A small client of the simulator's control API for tests and scripts; every answer is parsed. */
import { z } from 'zod';
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

/** The control API refused a request: its status, and the code and message of its error body. */
export class ControlError extends Error {
  readonly status: number;
  readonly code: string;
  /** The server's own message (or the raw body when it sent no error object). */
  readonly detail: string;
  constructor(status: number, code: string, detail: string, where: string) {
    super(`simulator control ${where} answered ${status}: ${detail}`);
    this.name = 'ControlError';
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

function controlError(where: string, status: number, text: string): ControlError {
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the raw text is the detail
  }
  const parsed = ErrorBody.safeParse(body);
  return parsed.success
    ? new ControlError(status, parsed.data.error.code, parsed.data.error.message, where)
    : new ControlError(status, 'http_error', text.slice(0, 500), where);
}

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
    if (!res.ok) throw controlError(`${method} ${path}`, res.status, text);
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
