import type { Role } from './roles.ts';

/**
 * Hono's environment for every route: Worker bindings plus what the audience guards establish.
 * `requestedBy` is `operator:<name>` (operators and admins) or `viewer:<name>`, the name being the
 * token's own or, for an unnamed token, its role.
 */
export type AppEnv = {
  Bindings: Env;
  Variables: { role: Role; requestedBy: string; rawBody: string };
};
