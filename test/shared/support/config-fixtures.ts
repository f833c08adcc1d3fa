/** Config fixtures for the schema tests: a minimal valid store, patched per test. */
import { FleetConfig } from '#shared/schemas/config.ts';
import { issueDetails } from '#shared/schemas/issues.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function store(id: string, patch: Record<string, Json> = {}): Record<string, Json> {
  return {
    id,
    name: `Store ${id}`,
    activeEndpoint: `http://${id}-vip.example:8008`,
    nodes: [
      { id: `${id}-a`, url: `http://${id}-a.example:8008` },
      { id: `${id}-b`, url: `http://${id}-b.example:8008` },
    ],
    ...patch,
  };
}

/** A config that must parse (the test fails with every problem listed otherwise). */
export function parsed(input: unknown): FleetConfig {
  const result = FleetConfig.safeParse(input);
  if (!result.success) throw new Error(`expected a valid config: ${JSON.stringify(issueDetails(result.error))}`);
  return result.data;
}

/** The problems of a config that must be rejected. */
export function problems(input: unknown) {
  const result = FleetConfig.safeParse(input);
  if (result.success) throw new Error('expected the config to be rejected');
  return issueDetails(result.error);
}
