/**
 * Under `wrangler dev`, a secret added to the local secrets file for an alert channel reaches the
 * worker. `wrangler.toml`'s `[secrets] required` list used to make wrangler load only the listed
 * names, so a channel naming ALERT_SMS_KEY was refused as "no Worker secret". The file is handed
 * over with --env-file, which wrangler reads exactly as it reads .dev.vars.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#harness/pg-cluster.ts';
import { startWorker, throwawaySecrets, type Worker, waitForWorker } from '#scripts/demo/stack.ts';

const secrets = { ...throwawaySecrets(), ALERT_SMS_KEY: 'sms-key-from-the-local-secrets-file' };
const state = mkdtempSync(join(tmpdir(), 'mirrorwatch-dev-secrets-'));
let worker: Worker;
const logs: string[] = [];

beforeAll(async () => {
  worker = startWorker({ port: await freePort(), persistTo: state, secrets, log: (l) => logs.push(l) });
  await waitForWorker(worker.base);
});
afterAll(() => {
  worker?.stop();
  rmSync(state, { recursive: true, force: true });
});

function configNaming(secret: string) {
  return {
    version: 1,
    stores: [
      {
        id: 'gz',
        name: 'Guangzhou',
        activeEndpoint: 'http://127.0.0.1:9/vip',
        nodes: [
          { id: 'gz-a', url: 'http://127.0.0.1:9/a' },
          { id: 'gz-b', url: 'http://127.0.0.1:9/b' },
        ],
      },
    ],
    alerts: {
      channels: [
        { id: 'sms', type: 'sms', url: `https://sms.example/send?key={{secret:${secret}}}`, to: ['+8613800000000'] },
      ],
      routes: [{ channels: ['sms'] }],
    },
  };
}

const put = (config: unknown) =>
  fetch(`${worker.base}/api/v1/config`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${secrets.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(config),
  });

describe('a channel secret in the local secrets file under wrangler dev', () => {
  it('is there: a config naming it is accepted', async () => {
    const res = await put(configNaming('ALERT_SMS_KEY'));
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('a secret that is not in the file is still refused with its path', async () => {
    const res = await put(configNaming('NOT_IN_THE_FILE'));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { details: Array<{ path: string }> } };
    expect(body.error.details.map((d) => d.path)).toEqual(['alerts.channels[0].url']);
  });
});
