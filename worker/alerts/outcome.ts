/**
 * What one delivery attempt to one channel came to. `error` goes into the viewer-visible event
 * log, so it is built only from channel ids, secret NAMES, status codes and redacted vendor words:
 * never a URL, a token or a secret value.
 */
import type { AlertChannel } from '#shared/schemas/alerting.ts';

export interface DeliveryOutcome {
  ok: boolean;
  /** The HTTP status of the (first failed) answer; null when there was none. */
  status: number | null;
  error: string | null;
  /** Worth sending again later: the receiver was unreachable, slow, busy or rate-limiting. */
  retryable: boolean;
}

/** How every error names its channel, e.g. `slack channel "ops-slack"`. */
export const channelLabel = (channel: Pick<AlertChannel, 'type' | 'id'>): string =>
  `${channel.type} channel "${channel.id}"`;

export const delivered = (status: number | null): DeliveryOutcome => ({
  ok: true,
  status,
  error: null,
  retryable: false,
});

export function failed(
  channel: Pick<AlertChannel, 'type' | 'id'>,
  detail: string,
  retryable: boolean,
  status: number | null = null,
): DeliveryOutcome {
  return { ok: false, status, error: `${channelLabel(channel)}: ${detail}`, retryable };
}
