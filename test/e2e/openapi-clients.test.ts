/**
 * The served OpenAPI document as tools take it (issue 18): Redocly's recommended rules find nothing
 * in it, and a client generated from it (openapi-typescript + openapi-fetch) type-checks, refuses a
 * call the API would refuse, and calls the worker under `wrangler dev`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS } from '#harness/chromium.ts';
import { type LiveWorker, startLiveWorker } from '#harness/live-worker.ts';

const require = createRequire(import.meta.url);
const dir = join(ARTIFACTS, 'openapi-client');
let worker: LiveWorker;
let doc: Record<string, unknown>;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  worker = await startLiveWorker();
  const res = await fetch(`${worker.base}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Record<string, unknown>;
});
afterAll(() => worker?.stop());

/** What the generated types must accept, and (ts-expect-error) refuse; run below against the worker. */
const CLIENT = `
import createClient from 'openapi-fetch';
import type { paths } from './api.ts';

export function connect(baseUrl: string, token: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${token}\` } });
}
type Client = ReturnType<typeof connect>;

export async function putConfig(admin: Client, store: string) {
  const { data, error } = await admin.PUT('/api/v1/config', {
    body: { version: 1, stores: [{ id: store, name: 'Generated client store', region: 'South China',
      activeEndpoint: 'http://127.0.0.1:9/vip', nodes: [{ id: \`\${store}-a\`, url: 'http://127.0.0.1:9/a' }, { id: \`\${store}-b\`, url: 'http://127.0.0.1:9/b' }] }] },
  });
  return { added: data?.added ?? [], error: error?.error.code ?? null };
}

export async function read(viewer: Client, store: string) {
  const list = await viewer.GET('/api/v1/stores');
  const one = await viewer.GET('/api/v1/stores/{id}', { params: { path: { id: store } } });
  const missing = await viewer.GET('/api/v1/stores/{id}', { params: { path: { id: 'no-such-store' } } });
  const report = await viewer.GET('/api/v1/reports/availability', { params: { query: { from: '2026-11-01', to: '2026-11-30' } } });
  const ids: string[] = (list.data?.stores ?? []).map((s) => s.id);
  const name: string | undefined = one.data?.name;
  const code: string | undefined = missing.error?.error.code;
  // The report answers CSV too (format=csv): the JSON form is the one that is not a string.
  const json = typeof report.data === 'string' ? undefined : report.data;
  const reported: number | null | undefined = json?.stores[0]?.availability;
  return { ids, name, code, missingStatus: missing.response.status, reported, reportStores: json?.stores.length };
}

export function refused(viewer: Client) {
  // @ts-expect-error: from is a required query parameter of the report
  void viewer.GET('/api/v1/reports/availability', { params: { query: { to: '2026-11-30' } } });
  // @ts-expect-error: a failover needs its reason
  void viewer.POST('/api/v1/stores/{id}/failover', { params: { path: { id: 'x' } }, body: {} });
}
`;

describe('the OpenAPI document', () => {
  it("has no error and no warning under Redocly's recommended rules", () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const cli = require.resolve('@redocly/cli/bin/cli.js');
    const run = spawnSync(process.execPath, [cli, 'lint', '--extends=recommended', '--format=json', file], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    const out = JSON.parse(run.stdout) as {
      totals: { errors: number; warnings: number };
      problems: Array<{ ruleId: string; message: string; location: Array<{ pointer: string }> }>;
    };
    const problems = out.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(problems).toEqual([]);
    expect(out.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.status).toBe(0);
  });

  it('generates a typed client that type-checks, refuses what the API refuses, and calls the API', async () => {
    writeFileSync(join(dir, 'api.ts'), astToString(await openapiTS(JSON.stringify(doc))));
    const clientFile = join(dir, 'client.ts');
    writeFileSync(clientFile, CLIENT);
    const program = ts.createProgram([clientFile], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
      skipLibCheck: true,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics).toEqual([]);

    const client = (await import(clientFile)) as {
      connect(base: string, token: string): unknown;
      putConfig(c: unknown, store: string): Promise<{ added: string[]; error: string | null }>;
      read(c: unknown, store: string): Promise<Record<string, unknown>>;
    };
    const tokens = worker.secrets;
    const store = 'generated-client';
    expect(await client.putConfig(client.connect(worker.base, tokens.ADMIN_TOKEN), store)).toEqual({
      added: [store],
      error: null,
    });
    expect(await client.read(client.connect(worker.base, tokens.VIEWER_TOKEN), store)).toEqual({
      ids: [store],
      name: 'Generated client store',
      code: 'not_found',
      missingStatus: 404,
      reported: null,
      reportStores: 1,
    });
  });
});
