import type { Role } from './roles.ts';

/** What a verified hook request established: its raw body and the principal whose key signed it. */
export interface HookCaller {
  principal: string;
}

/**
 * Hono's environment for every route: Worker bindings plus what the audience guards establish.
 * `who` is the token's name (or its role when unnamed); `requestedBy` is `operator:<who>` or `viewer:<who>`.
 */
export type AppEnv = {
  Bindings: Env;
  Variables: { role: Role; who: string; requestedBy: string; rawBody: string; hook: HookCaller };
};
