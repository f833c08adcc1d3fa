import { describe, expect, it } from 'vitest';
import { app, routeTable } from '#worker/app.ts';
import { ROUTE_DOCS } from '#worker/openapi.ts';
import { client } from './support.ts';

describe('GET /openapi.json', () => {
  it('describes every registered route, and nothing that is not one', async () => {
    const registered = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
    expect(new Set(Object.keys(ROUTE_DOCS))).toEqual(new Set(registered));

    const res = await client().call('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const route of routeTable) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path}`).toBeDefined();
    }
  });

  it('takes request schemas and security from the routes themselves', async () => {
    const doc = (await (await client().call('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            security: unknown[];
            requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    const failover = doc.paths['/api/v1/stores/{id}/failover']?.post;
    expect(failover?.requestBody?.content['application/json']?.schema.required).toEqual(['reason']);
    expect(failover?.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(failover?.responses ?? {})).toEqual(expect.arrayContaining(['202', '401', '403', '409', '422']));
    expect(doc.paths['/hooks/v1/failover']?.post?.security).toEqual([{ signature: [], timestamp: [], principal: [] }]);
    expect(doc.paths['/api/v1/public/status']?.get?.security).toEqual([]);
  });

  it('names every operation once, its server and a licence, and gives every operation a 4xx answer', async () => {
    const doc = (await (await client().call('http://mirrorwatch.test/openapi.json')).json()) as {
      servers: Array<{ url: string }>;
      info: { license: { name: string; identifier?: string } };
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    expect(doc.servers).toEqual([{ url: 'http://mirrorwatch.test', description: 'This deployment' }]);
    expect(doc.info.license.identifier).toMatch(/^(LicenseRef-|[A-Z])/);
    const operations = Object.values(doc.paths).flatMap((p) => Object.values(p));
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(operations.length);
    for (const o of operations)
      expect(
        Object.keys(o.responses).some((c) => c.startsWith('4')),
        o.operationId,
      ).toBe(true);
  });
});
