import type { AuthVariables } from './auth.ts';

/** Hono's environment for every route: Worker bindings plus what auth middleware establishes. */
export type AppEnv = { Bindings: Env; Variables: AuthVariables & { rawBody: string } };
