/** The pages' side of messages.ts: one typed call per message, every answer parsed. */
import { browser } from 'wxt/browser';
import type { Schema } from './guard.ts';
import {
  AckResponse,
  type FailoverMessage,
  FailoverResponse,
  JobsResponse,
  type Message,
  refused,
  StateResponse,
} from './messages.ts';

export type Send = (message: Message) => Promise<unknown>;

const defaultSend: Send = (message) => browser.runtime.sendMessage(message);

async function ask<T>(schema: Schema<T>, message: Message, send: Send): Promise<T | ReturnType<typeof refused>> {
  let raw: unknown;
  try {
    raw = await send(message);
  } catch (err) {
    return refused(
      'no_background',
      `The extension's background did not answer: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : refused('bad_answer', `Unexpected answer to ${message.type}: ${parsed.error}`);
}

export function createBackgroundClient(send: Send = defaultSend) {
  return {
    getState: () => ask(StateResponse, { type: 'getState' }, send),
    refresh: () => ask(AckResponse, { type: 'refresh' }, send),
    failover: (body: Omit<FailoverMessage, 'type'>) => ask(FailoverResponse, { type: 'failover', ...body }, send),
    settingsChanged: () => ask(AckResponse, { type: 'settingsChanged' }, send),
    jobs: (store: string) => ask(JobsResponse, { type: 'jobs', store }, send),
  };
}
export type BackgroundClient = ReturnType<typeof createBackgroundClient>;
