/** WebSocket messages of `GET /api/v1/stream`: a snapshot, then a delta per changed store. */
import { z } from 'zod';
import { StoreStatus } from './status.ts';

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('snapshot'), at: z.string(), stores: z.array(StoreStatus) }),
  z.object({ type: z.literal('store'), at: z.string(), store: StoreStatus }),
  z.object({ type: z.literal('removed'), at: z.string(), id: z.string() }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export const ClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().min(1).max(4096) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
