/** Turns what the alert engine decided to send into the AlertMessage every channel formats. */
import { iso } from '../iso-time.ts';
import type { AlertKind, AlertMessage } from '../schemas/alert.ts';
import type { AlertSend, Condition } from './engine.ts';

export interface AlertStore {
  id: string;
  name: string;
  region: string | null;
}

const minutes = (ms: number) => `${Math.max(1, Math.round(ms / 60_000))} min`;
/** The title without its severity word, for "RESOLVED …". */
const subject = (title: string) => title.replace(/^[A-Z]+ /, '');

export function alertMessage(store: AlertStore, send: AlertSend, now: number): AlertMessage {
  const open = now - send.openedAt;
  let title = send.title;
  let text = send.text;
  if (send.kind === 'reminder') {
    title = `${send.title} (still open after ${minutes(open)})`;
  } else if (send.kind === 'resolved') {
    title = `RESOLVED ${subject(send.title)}`;
    text = `Resolved after ${minutes(open)} (opened ${iso(send.openedAt)}).\nLast known: ${send.text}`;
  }
  return message(store, send.kind, send.condition, send, title, text, send.openedAt, now);
}

export function noticeMessage(store: AlertStore, notice: Condition, now: number): AlertMessage {
  return message(store, 'notice', notice.key, notice, notice.title, notice.text, now, now);
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
