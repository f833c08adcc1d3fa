import { defineBackground } from 'wxt/utils/define-background';
import { setupBadge } from '../lib/badge.ts';
import { setupMessages } from '../lib/message-handler.ts';
import { setupNotifications } from '../lib/notifications.ts';
import { setupPolling } from '../lib/polling.ts';
import { setupStream } from '../lib/stream-client.ts';

export default defineBackground(() => {
  const stream = setupStream();
  setupPolling(stream);
  setupBadge();
  setupNotifications();
  setupMessages({ stream });
});
