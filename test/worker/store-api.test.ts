import { describe, expect, it } from 'vitest';
import { StoreStatus } from '#shared/schemas/status.ts';
import { watchedStore } from './support.ts';

describe('store routes', () => {
  it('GET /api/v1/stores lists every configured store as a StoreStatus', async () => {
    const { id, api } = await watchedStore();
    const res = await api.call('/api/v1/stores', { token: 'viewer' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stores: unknown[] };
    expect(body.stores).toHaveLength(1);
    expect(StoreStatus.parse(body.stores[0])).toMatchObject({ id, status: 'healthy' });
  });

  it('GET /api/v1/stores/:id answers the live status', async () => {
    const { id, api } = await watchedStore();
    const res = await api.call(`/api/v1/stores/${id}`, { token: 'viewer' });
    const status = StoreStatus.parse(await res.json());
    expect(status).toMatchObject({ id, status: 'healthy', primary: `${id}-a`, epoch: 1 });
    expect(status.checkedAt).not.toBeNull();
  });

  it('GET /api/v1/stores/:id/events lists status changes newest first, and honours limit', async () => {
    const { id, api } = await watchedStore();
    const res = await api.call(`/api/v1/stores/${id}/events`, { token: 'viewer' });
    const { events } = (await res.json()) as { events: Array<{ type: string; status?: string; message: string }> };
    expect(events[0]).toMatchObject({ type: 'status', status: 'healthy' });
    expect(events.at(-1)).toMatchObject({ type: 'config', message: 'monitoring started' });
    const limited = (await (await api.call(`/api/v1/stores/${id}/events?limit=1`, { token: 'viewer' })).json()) as {
      events: unknown[];
    };
    expect(limited.events).toHaveLength(1);
  });

  it('unknown stores are 404 and bad query parameters 400, in the error shape', async () => {
    const { id, api } = await watchedStore();
    for (const path of ['/api/v1/stores/nope', '/api/v1/stores/NOT%20AN%20ID/events', '/api/v1/stores/nope/events']) {
      const res = await api.call(path, { token: 'viewer' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    for (const query of ['limit=0', 'limit=abc', 'limit=100000', 'before=yesterday']) {
      const res = await api.call(`/api/v1/stores/${id}/events?${query}`, { token: 'viewer' });
      expect(res.status).toBe(400);
    }
    expect((await api.call('/api/v1/nothing-here', { token: 'viewer' })).status).toBe(404);
  });
});
