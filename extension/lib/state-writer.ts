/**
 * The background's only way to change the fleet and the connection state. Updates are queued so
 * that a burst of stream deltas and a poll answer never read-modify-write over each other.
 */
import {
  type Connection,
  type ConnectionState,
  connectionItem,
  EMPTY_FLEET,
  type Fleet,
  fleetItem,
  readConnection,
  readFleet,
  readSettings,
} from './storage-items.ts';

function createQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task);
    // A failed update must not block the ones after it; the caller still sees its own failure.
    tail = run.catch(() => undefined);
    return run;
  };
}

const enqueue = createQueue();

export function updateFleet(change: (fleet: Fleet) => Fleet): Promise<Fleet> {
  return enqueue(async () => {
    const next = change(await readFleet());
    await fleetItem.setValue(next);
    return next;
  });
}

/** A fleet kept for another server is no base for anything once the URL changed. */
export async function resetFleetIfServerChanged(): Promise<Fleet> {
  const { serverUrl } = await readSettings();
  return updateFleet((fleet) => (fleet.server === null || fleet.server === serverUrl ? fleet : EMPTY_FLEET));
}

/** `since` moves only when the state changes; the error is replaced every time. */
export function setConnection(state: ConnectionState, lastError: string | null, now = Date.now()): Promise<Connection> {
  return enqueue(async () => {
    const current = await readConnection();
    const next: Connection = { state, since: current.state === state ? current.since : now, lastError };
    await connectionItem.setValue(next);
    return next;
  });
}

/** Resolves once every update queued before it has been written. */
export function writesSettled(): Promise<void> {
  return enqueue(async () => undefined);
}
