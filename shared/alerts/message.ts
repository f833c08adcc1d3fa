/**
 * Turns what the alert engine decided to send into the AlertMessage every channel formats, in the
 * channel's language (English unless the channel says `locale: zh-CN`).
 */
import type { Locale } from '../i18n/locale.ts';
import { iso } from '../iso-time.ts';
import type { AlertKind, AlertMessage } from '../schemas/alert.ts';
import { openTitle, say } from './catalog.ts';
import type { AlertSend, Condition } from './engine.ts';

export interface AlertStore {
  id: string;
  name: string;
  region: string | null;
}

const minutes = (ms: number) => Math.max(1, Math.round(ms / 60_000));

/** The open title in the locale; a condition stored without a phrase keeps its English title. */
function title(store: AlertStore, c: Pick<Condition, 'severity' | 'title' | 'phrase'>, locale: Locale): string {
  return c.phrase ? openTitle(locale, c.severity, store.name, c.phrase) : c.title;
}

/** The detail lines in the locale where mirrorwatch wrote them; else the text as the monitor found it. */
function body(c: Pick<Condition, 'text' | 'details'>, locale: Locale): string {
  return c.details ? c.details.map((d) => say(locale, d.key, d.params)).join('\n') : c.text;
}

/** "Tianhe: primary down" for "RESOLVED …": the open title without its severity word. */
function resolvedTitle(store: AlertStore, send: AlertSend, locale: Locale): string {
  if (!send.phrase) return `RESOLVED ${send.title.replace(/^[A-Z]+ /, '')}`;
  return say(locale, 'title.resolved', { store: store.name, what: say(locale, send.phrase.key, send.phrase.params) });
}

export function alertMessage(store: AlertStore, send: AlertSend, now: number, locale: Locale = 'en'): AlertMessage {
  const open = minutes(now - send.openedAt);
  let heading = title(store, send, locale);
  let text = body(send, locale);
  if (send.kind === 'reminder') {
    heading = say(locale, 'title.reminder', { title: heading, minutes: open });
  } else if (send.kind === 'resolved') {
    heading = resolvedTitle(store, send, locale);
    text = say(locale, 'text.resolved', { minutes: open, openedAt: iso(send.openedAt), text });
  }
  return message(store, send.kind, send.condition, send, heading, text, send.openedAt, now);
}

export function noticeMessage(store: AlertStore, notice: Condition, now: number, locale: Locale = 'en'): AlertMessage {
  return message(store, 'notice', notice.key, notice, title(store, notice, locale), body(notice, locale), now, now);
}

function message(
  store: AlertStore,
  kind: AlertKind,
  condition: string,
  c: Pick<Condition, 'severity'>,
  title: string,
  text: string,
  openedAt: number,
  now: number,
): AlertMessage {
  return {
    kind,
    key: `${store.id}/${condition}`,
    storeId: store.id,
    storeName: store.name,
    region: store.region,
    condition,
    severity: c.severity,
    title,
    text,
    openedAt: iso(openedAt),
    at: iso(now),
  };
}
