/** The fallback while the stream is not live: one REST poll a minute, on the tick alarm. */
import { browser } from 'wxt/browser';
import { type AlarmsApi, ensureTickAlarm, onTick } from './alarms.ts';
import { type RefreshOutcome, refreshFleet, stateForOutcome } from './refresh.ts';
import { setConnection } from './state-writer.ts';

export interface PollDeps {
  isLive: () => boolean;
  refresh?: () => Promise<RefreshOutcome>;
}

/** Null when the stream is live (nothing to do). */
export async function pollIfNotLive({
  isLive,
  refresh = () => refreshFleet(),
}: PollDeps): Promise<RefreshOutcome | null> {
  if (isLive()) return null;
  const outcome = await refresh();
  // The stream may have come up while the request was out: its "connected" is the truth then.
  if (isLive()) return outcome;
  const { state, error } = stateForOutcome(outcome);
  await setConnection(state, error);
  return outcome;
}

interface LifecycleEvents {
  onInstalled: { addListener(listener: () => void): void };
  onStartup: { addListener(listener: () => void): void };
}

export interface PollingSetup {
  runtime?: LifecycleEvents;
  alarms?: AlarmsApi;
  refresh?: () => Promise<RefreshOutcome>;
}

export function setupPolling(
  stream: { readonly live: boolean },
  { runtime = browser.runtime, alarms = browser.alarms, refresh }: PollingSetup = {},
): void {
  const ensure = () => {
    ensureTickAlarm(alarms).catch((err: unknown) =>
      console.error('mirrorwatch: could not create the tick alarm:', err),
    );
  };
  // Alarms may not survive a browser restart or an update: make sure at every start of the worker.
  ensure();
  runtime.onInstalled.addListener(ensure);
  runtime.onStartup.addListener(ensure);
  onTick(() => pollIfNotLive({ isLive: () => stream.live, refresh }), 'polling', alarms);
}
