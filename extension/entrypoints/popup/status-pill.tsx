import { OPERATOR_WORDS, STATUS_TONE } from '#shared/status-words.ts';
import type { StoreStatusName } from '../../lib/wire.ts';

/** The status in the words the public page uses, in a pill of one width so names line up. */
export function StatusPill({ status }: { status: StoreStatusName }) {
  return <span class={`pill ${STATUS_TONE[status]}`}>{OPERATOR_WORDS[status]}</span>;
}
