/** Config fixtures for the schema tests: a minimal valid store, patched per test. */
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
