/** The action a monitor sends to an agent (docs/PROTOCOL.md section 5) and its idempotency key. */
import { z } from 'zod';
import { Id, Iso } from './common.ts';

export const ACTION_KINDS = ['promote', 'fence', 'reinstate'] as const;
export const ActionKind = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKind>;

export const RequestedBy = z
  .string()
  .regex(/^(auto|hook|operator:.{1,128})$/, 'must be "auto", "hook" or "operator:<name>"');

/** Unknown fields are ignored, as in reports, so the contract can grow without breaking agents. */
export const ActionRequest = z.object({
  action: ActionKind,
  store: Id,
  node: Id,
  epoch: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  failoverId: z.string().min(1).max(128),
  reason: z.string().max(1000),
  requestedBy: RequestedBy,
  issuedAt: Iso,
  /** `reinstate` only (contract section 8): the current primary the node must follow as a standby. */
  primary: Id.optional(),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** `<store>:<epoch>:<action>:<node>`: the same logical action always carries the same key. */
export function idempotencyKeyFor(action: Pick<ActionRequest, 'store' | 'epoch' | 'action' | 'node'>): string {
  return `${action.store}:${action.epoch}:${action.action}:${action.node}`;
}
