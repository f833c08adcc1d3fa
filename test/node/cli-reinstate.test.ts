/**
 * `reinstate` against a worker with and without the reinstate route (main has none until the
 * reinstate branch lands): the store is asked first, so a 404 from the POST can only mean the route.
 */
import { describe, expect, it } from 'vitest';
import { runCliWith } from '#test/support/cli-io.ts';

const SERVER = { MIRRORWATCH_URL: 'http://mirrorwatch.test', MIRRORWATCH_TOKEN: 't' };
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const STORE = {
  id: 'gz-a',
  name: 'GZ',
  region: null,
  status: 'healthy',
  since: '2026-11-21T05:00:00.000Z',
  primary: 'gz-a-b',
  epoch: 2,
  lagSeconds: 0.1,
  nodes: [],
  arbiter: null,
  reasons: [],
  lastFailover: null,
  checkedAt: null,
};

function worker(reinstate: (body: unknown) => Response): typeof fetch {
  return async (input, init) => {
    const path = new URL(String(input)).pathname;
    if (path === '/api/v1/stores/gz-a') return json(200, STORE);
    if (path === '/api/v1/stores/gz-a/reinstate') return reinstate(JSON.parse(String(init?.body)));
    return json(404, { error: { code: 'not_found', message: `no route ${init?.method ?? 'GET'} ${path}` } });
  };
}
const argv = ['reinstate', 'gz-a', 'gz-a-a', '--reason', 'rebuilt'];

describe('reinstate', () => {
  it('sends the node and the reason, and says it was requested', async () => {
    const sent: unknown[] = [];
    const run = await runCliWith(argv, {
      env: SERVER,
      fetch: worker((body) => {
        sent.push(body);
        return json(202, { reinstatement: { node: 'gz-a-a' } });
      }),
    });
    expect([run.code, run.out, sent]).toEqual([
      0,
      'reinstatement of gz-a-a in gz-a requested\n',
      [{ node: 'gz-a-a', reason: 'rebuilt' }],
    ]);
  });

  it('a refusal names the unmet conditions (exit 1)', async () => {
    const refuse = () =>
      json(409, { error: { code: 'reinstate_refused', message: 'reinstate of gz-a-a refused: gz-a-a is not fenced' } });
    const run = await runCliWith(argv, { env: SERVER, fetch: worker(refuse) });
    expect([run.code, run.err]).toEqual([
      1,
      'mirrorwatch: refused: reinstate of gz-a-a refused: gz-a-a is not fenced\n',
    ]);
  });

  it('a worker without the route: says to upgrade it (exit 1)', async () => {
    const run = await runCliWith(argv, {
      env: SERVER,
      fetch: async (input, init) =>
        new URL(String(input)).pathname.endsWith('/reinstate')
          ? json(404, { error: { code: 'not_found', message: 'no route POST /api/v1/stores/gz-a/reinstate' } })
          : worker(() => json(500, {}))(input, init),
    });
    expect([run.code, run.err]).toEqual([
      1,
      'mirrorwatch: this server has no reinstate route (POST /api/v1/stores/:id/reinstate); upgrade the worker\n',
    ]);
  });
});
