/**
 * The options page's state. Saving asks for host access to that one origin first (it must be asked
 * inside the click, before anything is awaited: Firefox refuses it otherwise), then stores the
 * settings, then tells the background to reconnect. Testing needs no access (the API answers CORS
 * preflights), so it asks for none. While the browser's prompt is open nothing is disabled, and
 * when it does not show within a few seconds (it cannot, in some windows) the page says so.
 * An http:// origin off this machine is warned about as soon as it is typed, and the first Save or
 * Test with it only repeats the warning: the token goes out in clear only after a second,
 * deliberate click.
 */
import { batch, computed, signal } from '@preact/signals';
import { browser } from 'wxt/browser';
import { defaultFetch, type FetchFn, fetchStores } from './api-client.ts';
import type { BackgroundClient } from './background-client.ts';
import { t as words } from './page-words.ts';
import { cleartextWarning, parseServerOrigin } from './server-origin.ts';
import { canStreamWith, originPattern } from './server-url.ts';
import { readSettings, type Settings, settingsItem } from './storage-items.ts';
import type { LanguageSetting } from './ui-language.ts';
import { parseList } from './watch.ts';

type Permissions = Pick<typeof browser.permissions, 'request' | 'remove'>;

export interface OptionsDeps {
  client: Pick<BackgroundClient, 'settingsChanged'>;
  permissions?: Permissions;
  fetch?: FetchFn;
  /** How long the browser's access prompt may take to answer before the page explains. */
  promptWaitMs?: number;
}

interface Start {
  origin: string;
  token: string;
}

export type Notice = { tone: 'ok' | 'error'; text: string } | null;

export interface KnownStore {
  id: string;
  name: string;
  region: string | null;
}

const pick = (stores: readonly KnownStore[]): KnownStore[] =>
  stores.map(({ id, name, region }) => ({ id, name, region }));

function toggled(list: string, item: string, on: boolean): string {
  const items = parseList(list).filter((x) => x !== item);
  return (on ? [...items, item] : items).join(', ');
}

export function createOptionsModel({
  client,
  permissions = browser.permissions,
  fetch = defaultFetch,
  promptWaitMs = 4000,
}: OptionsDeps) {
  const serverUrl = signal('');
  const token = signal('');
  const watchStores = signal('');
  const watchRegions = signal('');
  const notifyRed = signal(true);
  const notifyAwaiting = signal(true);
  const notifyFailover = signal(true);
  const language = signal<LanguageSetting>('auto');
  const notice = signal<Notice>(null);
  const busy = signal(false);
  /** Stores seen by the last successful test, offered as checkboxes. */
  const known = signal<KnownStore[]>([]);

  const origin = computed(() => parseServerOrigin(serverUrl.value, words));
  const urlError = computed(() => (serverUrl.value.trim() === '' || origin.value.ok ? null : origin.value.error));
  const urlWarning = computed(() => (origin.value.ok ? cleartextWarning(origin.value.origin, words) : null));
  /** The cleartext origin the user has been warned about by a click, and may now use. */
  let acknowledged: string | null = null;
  const tokenWarning = computed(() =>
    token.value !== '' && !canStreamWith(token.value.trim()) ? words('token.noStream') : null,
  );
  const watchedStoreIds = computed(() => parseList(watchStores.value));
  const watchedRegions = computed(() => parseList(watchRegions.value));
  const knownRegions = computed(() => [...new Set(known.value.flatMap((s) => (s.region ? [s.region] : [])))].sort());

  async function load(): Promise<void> {
    const s = await readSettings();
    batch(() => {
      serverUrl.value = s.serverUrl;
      token.value = s.token;
      watchStores.value = s.watch.stores.join(', ');
      watchRegions.value = s.watch.regions.join(', ');
      notifyRed.value = s.notify.red;
      notifyAwaiting.value = s.notify.awaiting;
      notifyFailover.value = s.notify.failover;
      language.value = s.language ?? 'auto';
    });
    // Saved settings: offer the server's stores at once, quietly (a failure shows on Test).
    if (s.serverUrl !== '' && s.token !== '') {
      const result = await fetchStores({ origin: s.serverUrl, token: s.token }, null, fetch);
      if (result.kind === 'ok') known.value = pick(result.stores);
    }
  }

  /** Validation, and the cleartext warning's first click: all before the first await. */
  function begin(): Start | null {
    const check = origin.peek();
    if (!check.ok) {
      notice.value = { tone: 'error', text: check.error };
      return null;
    }
    const t = token.peek().trim();
    if (t === '') {
      notice.value = {
        tone: 'error',
        text: words('notice.noToken'),
      };
      return null;
    }
    const warning = cleartextWarning(check.origin, words);
    if (warning !== null && acknowledged !== check.origin) {
      acknowledged = check.origin;
      notice.value = { tone: 'error', text: words('notice.cleartextAgain', { warning }) };
      return null;
    }
    return { origin: check.origin, token: t };
  }

  /**
   * The browser's answer to the access prompt. Nothing is disabled meanwhile: a prompt that cannot
   * show never answers, and the page must not hang on it.
   */
  async function granted(start: Start, asked: Promise<boolean>): Promise<boolean> {
    const slow = setTimeout(() => {
      notice.value = {
        tone: 'error',
        text: words('notice.waitingPrompt', { origin: start.origin }),
      };
    }, promptWaitMs);
    try {
      const ok = await asked;
      if (!ok) {
        notice.value = {
          tone: 'error',
          text: words('notice.notGranted', { origin: start.origin }),
        };
      }
      return ok;
    } catch (err) {
      notice.value = { tone: 'error', text: words('notice.askFailed', { origin: start.origin, error: String(err) }) };
      return false;
    } finally {
      clearTimeout(slow);
    }
  }

  async function finishSave(start: Start, asked: Promise<boolean>): Promise<void> {
    if (!(await granted(start, asked))) return;
    busy.value = true;
    try {
      const previous = await readSettings();
      const next: Settings = {
        serverUrl: start.origin,
        token: start.token,
        watch: { stores: parseList(watchStores.peek()), regions: parseList(watchRegions.peek()) },
        notify: { red: notifyRed.peek(), awaiting: notifyAwaiting.peek(), failover: notifyFailover.peek() },
        language: language.peek(),
      };
      await settingsItem.setValue(next);
      serverUrl.value = start.origin;
      if (previous.serverUrl !== '' && previous.serverUrl !== start.origin) {
        // The old server's access is not needed any more; failing to drop it is harmless.
        await permissions
          .remove({ origins: [originPattern(previous.serverUrl)] })
          .catch((err: unknown) => console.warn('mirrorwatch: could not drop access to the old server:', err));
      }
      const ack = await client.settingsChanged();
      notice.value = ack.ok
        ? { tone: 'ok', text: words('notice.saved') }
        : { tone: 'error', text: words('notice.savedNotTaken', { error: ack.error.message }) };
    } finally {
      busy.value = false;
    }
  }

  function save(): Promise<void> {
    const start = begin();
    if (!start) return Promise.resolve();
    // Asked here, inside the click, before anything is awaited.
    return finishSave(start, permissions.request({ origins: [originPattern(start.origin)] }));
  }

  async function finishTest(start: Start): Promise<void> {
    busy.value = true;
    try {
      const result = await fetchStores({ origin: start.origin, token: start.token }, null, fetch);
      switch (result.kind) {
        case 'ok':
          known.value = pick(result.stores);
          notice.value = {
            tone: 'ok',
            text: words(result.stores.length === 1 ? 'notice.connectedOne' : 'notice.connectedMany', {
              count: result.stores.length,
            }),
          };
          return;
        case 'not_modified':
          notice.value = { tone: 'ok', text: words('notice.connected') };
          return;
        case 'unauthorized':
        case 'failed':
          notice.value = { tone: 'error', text: result.message };
          return;
      }
    } finally {
      busy.value = false;
    }
  }

  function test(): Promise<void> {
    const start = begin();
    return start ? finishTest(start) : Promise.resolve();
  }

  function toggleStore(id: string, on: boolean): void {
    watchStores.value = toggled(watchStores.value, id, on);
  }

  function toggleRegion(region: string, on: boolean): void {
    watchRegions.value = toggled(watchRegions.value, region, on);
  }

  /** Back to watching every store. */
  function watchAll(): void {
    batch(() => {
      watchStores.value = '';
      watchRegions.value = '';
    });
  }

  return {
    serverUrl,
    token,
    watchStores,
    watchRegions,
    notifyRed,
    notifyAwaiting,
    notifyFailover,
    language,
    notice,
    busy,
    known,
    urlError,
    urlWarning,
    tokenWarning,
    watchedStoreIds,
    watchedRegions,
    knownRegions,
    load,
    save,
    test,
    toggleStore,
    toggleRegion,
    watchAll,
  };
}
export type OptionsModel = ReturnType<typeof createOptionsModel>;
