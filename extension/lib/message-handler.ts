/** The background's side of messages.ts: parse, act, answer. Never throws across the boundary. */
import { browser } from 'wxt/browser';
import { defaultFetch, type FetchFn, postFailover } from './api-client.ts';
import {
  type AnyResponse,
  type FailoverMessage,
  type FailoverResponse,
  Message,
  publicSettings,
  refused,
} from './messages.ts';
import { pollIfNotLive } from './polling.ts';
import { isConfigured, readConnection, readFleet, readSettings } from './storage-items.ts';
import { fetchJobs } from './store-jobs.ts';

export interface HandlerDeps {
  stream: { readonly live: boolean; ensureOpen(): Promise<void>; restart(): Promise<void> };
  fetch?: FetchFn;
  /** A REST round when the stream is not live (the poller's). */
  poll?: () => Promise<unknown>;
}

/** A REST round now, unless the stream is live (it already brings every change). */
function pollNow(deps: HandlerDeps): Promise<unknown> {
  return deps.poll ? deps.poll() : pollIfNotLive({ isLive: () => deps.stream.live });
}

async function failover(message: FailoverMessage, deps: HandlerDeps): Promise<FailoverResponse> {
  const settings = await readSettings();
  if (!isConfigured(settings)) return refused('unconfigured', 'No server URL or token yet: open the options');
  const { store, reason, target, allowDataLoss } = message;
  const result = await postFailover(
    { origin: settings.serverUrl, token: settings.token },
    store,
    { reason, ...(target !== undefined && { target }), ...(allowDataLoss !== undefined && { allowDataLoss }) },
    deps.fetch ?? defaultFetch,
  );
  if (result.kind === 'refused') {
    const { code, message: text, status, details } = result.error;
    return refused(code, text, status, details);
  }
  // Without a live stream nobody would show the new status until the next tick.
  pollNow(deps).catch((err: unknown) => console.error('mirrorwatch: refresh after failover:', err));
  return { ok: true, failover: result.failover };
}

async function jobs(store: string, deps: HandlerDeps): Promise<AnyResponse> {
  const settings = await readSettings();
  if (!isConfigured(settings)) return refused('unconfigured', 'No server URL or token yet: open the options');
  const result = await fetchJobs(
    { origin: settings.serverUrl, token: settings.token },
    store,
    deps.fetch ?? defaultFetch,
  );
  return result.kind === 'ok' ? { ok: true, jobs: result.jobs } : refused('jobs_failed', result.message);
}

async function act(message: Message, deps: HandlerDeps): Promise<AnyResponse> {
  switch (message.type) {
    case 'getState': {
      // The popup opening is a good moment to make sure the stream is up.
      void deps.stream.ensureOpen();
      const [fleet, connection, settings] = await Promise.all([readFleet(), readConnection(), readSettings()]);
      return { ok: true, state: { fleet, connection, settings: publicSettings(settings) } };
    }
    case 'refresh':
      await pollNow(deps);
      void deps.stream.ensureOpen();
      return { ok: true };
    case 'failover':
      return failover(message, deps);
    case 'settingsChanged':
      await deps.stream.restart();
      return { ok: true };
    case 'jobs':
      return jobs(message.store, deps);
  }
}

export async function handleMessage(raw: unknown, deps: HandlerDeps): Promise<AnyResponse> {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) return refused('invalid_message', `Refused a message: ${parsed.error}`);
  try {
    return await act(parsed.data, deps);
  } catch (err) {
    console.error(`mirrorwatch: handling ${parsed.data.type} failed:`, err);
    return refused(
      'internal',
      `The background failed on ${parsed.data.type}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

type Listener = (message: unknown, sender: { id?: string }, sendResponse: (response: AnyResponse) => void) => boolean;

/** What is used of `browser.runtime`; WXT's fakeBrowser and the real one both fit. */
export interface MessagingApi {
  readonly id: string;
  onMessage: { addListener(listener: Listener): void };
}

export function setupMessages(deps: HandlerDeps, runtime: MessagingApi = browser.runtime): void {
  runtime.onMessage.addListener((message, sender, sendResponse) => {
    if (sender.id !== runtime.id) {
      sendResponse(refused('foreign_sender', 'Messages are accepted from this extension only'));
      return false;
    }
    // sendResponse + `return true` works in Chrome and Firefox alike; a returned promise does not.
    void handleMessage(message, deps).then(sendResponse);
    return true;
  });
}
