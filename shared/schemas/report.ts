/** The agent health report (docs/PROTOCOL.md section 3). Unknown fields are ignored, not rejected. */
import { z } from 'zod';

export const NODE_ROLES = ['primary', 'standby', 'arbiter', 'unknown'] as const;
export const NodeRole = z.enum(NODE_ROLES);
export type NodeRole = z.infer<typeof NodeRole>;

export const REPLICATION_STATES = ['streaming', 'catchup', 'stopped', 'disconnected'] as const;

const percent = z.number().min(0).max(100);

export const AgentReport = z.object({
  node: z.string().min(1).max(128),
  role: NodeRole,
  epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  healthy: z.boolean(),
  time: z.iso.datetime({ offset: true }),
  replication: z
    .object({
      state: z.enum(REPLICATION_STATES),
      primaryReachable: z.boolean(),
      lagSeconds: z.number().min(0).nullable().optional(),
      lagBytes: z.number().min(0).optional(),
      synchronous: z.boolean().optional(),
      /**
       * Extension (contract section 6, `#shared/lease/standby-contact.ts`): seconds since this
       * standby's WAL receiver last could have sent anything to the primary, on the standby's
       * monotonic clock when the report is made; 0 while a receiver runs. Never understated.
       */
      primaryContactAgeSeconds: z.number().min(0).optional(),
    })
    .optional(),
  sees: z.record(z.string(), z.boolean()).optional(),
  resources: z
    .object({ cpuPercent: percent.optional(), memoryPercent: percent.optional(), diskPercent: percent.optional() })
    .optional(),
  /** Extension: a fenced node refuses writes and waits to be reinstated. */
  fenced: z.boolean().optional(),
  /** Extension (contract section 6): the fence is the node's own, for want of a lease and a standby. */
  selfFenced: z.boolean().optional(),
  /**
   * Extension: the lease this primary holds at its epoch, as its agent counts it (monotonic clock);
   * absent when it holds none. For people and the status: the monitor's gate never trusts it.
   */
  lease: z
    .object({ epoch: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), remainingSeconds: z.number().min(0) })
    .optional(),
});
export type AgentReport = z.infer<typeof AgentReport>;
