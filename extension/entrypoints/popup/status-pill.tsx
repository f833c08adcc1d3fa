import { STATUS_TONE } from '#shared/status-words.ts';
import { t } from '../../lib/page-words.ts';
import type { StoreStatusName } from '../../lib/wire.ts';

/** The status in the words the public page uses, in a pill of one width so names line up. */
export function StatusPill({ status }: { status: StoreStatusName }) {
  return <span class={`pill ${STATUS_TONE[status]}`}>{t(`status.${status}`)}</span>;
}
