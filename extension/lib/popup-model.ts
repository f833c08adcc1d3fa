/** The popup's state: what the background last stored, the store being looked at, derived views. */
import { batch, computed, signal } from '@preact/signals';
import type { BackgroundClient } from './background-client.ts';
import { createFailoverForm } from './failover-form.ts';
import { connectionLabel } from './freshness.ts';
import { type PublicSettings, publicSettings } from './messages.ts';
import { uiLocale } from './page-words.ts';
import { relativeTime } from './relative-time.ts';
import { statusPageUrl } from './server-url.ts';
import { bySeverity } from './status-words.ts';
import {
  Connection,
  connectionItem,
  DEFAULT_SETTINGS,
  EMPTY_FLEET,
  Fleet,
  fleetItem,
  INITIAL_CONNECTION,
  parseStored,
  Settings,
  settingsItem,
} from './storage-items.ts';
import { wordsFor } from './ui-catalog.ts';
import { isWatched } from './watch.ts';

export function createPopupModel(
  client: Pick<BackgroundClient, 'getState' | 'refresh' | 'failover'>,
  now = Date.now(),
) {
  const fleet = signal<Fleet>(EMPTY_FLEET);
  const connection = signal<Connection>(INITIAL_CONNECTION);
  const settings = signal<PublicSettings | null>(null);
  const clock = signal(now);
  const loadError = signal<string | null>(null);
  const selectedId = signal<string | null>(null);
  /** The store whose detail was closed last: the list gives it focus back. */
  const lastViewedId = signal<string | null>(null);

  const serverUrl = computed(() => settings.value?.serverUrl ?? '');
  const knownStores = computed(() => (fleet.value.server === serverUrl.value ? fleet.value.stores : []));
  const stores = computed(() => {
    const watch = settings.value?.watch;
    return knownStores.value.filter((s) => !watch || isWatched(s, watch)).sort(bySeverity);
  });
  const hiddenCount = computed(() => knownStores.value.length - stores.value.length);
  const selected = computed(() => knownStores.value.find((s) => s.id === selectedId.value) ?? null);
  const header = computed(() => {
    const w = wordsFor(uiLocale.value);
    return settings.value?.configured === false
      ? w('conn.unconfigured')
      : connectionLabel(connection.value, fleet.value, serverUrl.value, clock.value, w);
  });
  const updated = computed(() => {
    const at = fleet.value.receivedAt;
    if (at === null || fleet.value.server !== serverUrl.value) return null;
    return relativeTime(at, clock.value, wordsFor(uiLocale.value));
  });
  const statusPage = computed(() => (serverUrl.value ? statusPageUrl(serverUrl.value) : null));
  const form = createFailoverForm(selected, client, () => wordsFor(uiLocale.value));

  async function load(): Promise<void> {
    const answer = await client.getState();
    if (!answer.ok) {
      loadError.value = answer.error.message;
      return;
    }
    batch(() => {
      fleet.value = answer.state.fleet;
      connection.value = answer.state.connection;
      settings.value = answer.state.settings;
      loadError.value = null;
    });
  }

  function select(id: string | null): void {
    batch(() => {
      if (id === null) lastViewedId.value = selectedId.peek();
      selectedId.value = id;
      form.reset();
    });
  }

  async function refresh(): Promise<void> {
    const answer = await client.refresh();
    if (!answer.ok) loadError.value = answer.error.message;
  }

  /** The background writes storage; the open popup follows it, and its clock ticks each second (countdowns). */
  function followStorage(): () => void {
    const stops = [
      fleetItem.watch((v) => {
        fleet.value = parseStored(Fleet, v, EMPTY_FLEET, fleetItem.key);
      }),
      connectionItem.watch((v) => {
        connection.value = parseStored(Connection, v, INITIAL_CONNECTION, connectionItem.key);
      }),
      settingsItem.watch((v) => {
        settings.value = publicSettings(parseStored(Settings, v, DEFAULT_SETTINGS, settingsItem.key));
      }),
    ];
    const timer = setInterval(() => {
      clock.value = Date.now();
    }, 1000);
    return () => {
      for (const stop of stops) stop();
      clearInterval(timer);
    };
  }

  return {
    fleet,
    connection,
    settings,
    clock,
    loadError,
    selectedId,
    lastViewedId,
    serverUrl,
    stores,
    hiddenCount,
    selected,
    header,
    updated,
    statusPage,
    form,
    load,
    select,
    refresh,
    followStorage,
  };
}
export type PopupModel = ReturnType<typeof createPopupModel>;
