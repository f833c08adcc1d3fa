/**
 * Field shapes several schemas share: the id every config entity uses (stores, nodes, jobs, windows,
 * channels) and the ISO time on the wire. A leaf module: config.ts imports the schemas that use them.
 */
import { z } from 'zod';

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
export const Id = z.string().regex(ID_PATTERN, 'must match ^[a-z0-9][a-z0-9-]{0,63}$');

/** An ISO 8601 time with its offset (`Z` or `+08:00`). */
export const Iso = z.iso.datetime({ offset: true });

/** How a store fails over (the config's `failover.mode`; a Failover record's mode adds `hook`). */
export const FAILOVER_MODES = ['auto', 'manual', 'off'] as const;
export const FailoverMode = z.enum(FAILOVER_MODES);
export type FailoverMode = z.infer<typeof FailoverMode>;
