/**
 * The popup's store page asks for the store's jobs through the background: the answer is parsed,
 * errors come back as words, and each row says the last run with its node and the next slot.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { FetchFn } from '#extension/lib/api-client.ts';
import { createJobsModel, lastRunText } from '#extension/lib/jobs-model.ts';
import { handleMessage } from '#extension/lib/message-handler.ts';
import type { JobsResponse } from '#extension/lib/messages.ts';
import { settingsItem } from '#extension/lib/storage-items.ts';
import type { StoreJob } from '#extension/lib/store-jobs.ts';
import { SERVER, settings, TOKEN } from './support/fixtures.ts';

const NOW = Date.parse('2026-11-21T10:05:00Z');
const sync: StoreJob = {
  id: 'sync',
  name: 'MobiLink sync',
  schedule: '*/10 9-21 * * *',
  state: 'ok',
  reason: null,
  lastRun: { at: '2026-11-21T10:02:00.000Z', event: 'success', node: 'gz-tianhe-b' },
  nextSlot: { at: '2026-11-21T10:10:00.000Z', local: '18:10 (Asia/Shanghai)' },
  doubled: null,
};

function serving(status: number, body: unknown) {
  return vi.fn<FetchFn>(async () => new Response(JSON.stringify(body), { status }));
}
const stream = { live: true, ensureOpen: async () => undefined, restart: async () => undefined };

beforeEach(async () => {
  fakeBrowser.reset();
  await settingsItem.setValue(settings());
});

describe('the store page’s jobs', () => {
  it('are fetched with the token from the store’s jobs endpoint and handed over parsed', async () => {
    const fetch = serving(200, { jobs: [{ ...sync, graceSeconds: 120, lastMessage: null }] });
    const answer = await handleMessage({ type: 'jobs', store: 'gz-tianhe' }, { stream, fetch });
    expect(answer).toEqual({ ok: true, jobs: [expect.objectContaining({ id: 'sync', nextSlot: sync.nextSlot })] });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe(`${SERVER}/api/v1/stores/gz-tianhe/jobs`);
    expect(new Headers(init?.headers).get('Authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('an error or a body this version cannot read is refused in words, never thrown', async () => {
    const missing = serving(404, { error: { code: 'not_found', message: 'no store "x"' } });
    expect(await handleMessage({ type: 'jobs', store: 'x' }, { stream, fetch: missing })).toMatchObject({
      ok: false,
      error: { code: 'jobs_failed', message: 'jobs: no store "x"' },
    });
    const odd = serving(200, { jobs: [{ id: 'sync' }] });
    expect(await handleMessage({ type: 'jobs', store: 'x' }, { stream, fetch: odd })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^jobs: an unexpected body/) },
    });
    expect(await handleMessage({ type: 'jobs', store: '' }, { stream, fetch: odd })).toMatchObject({
      ok: false,
      error: { code: 'invalid_message' },
    });
  });

  it('the model keeps only the answer for the store opened last', async () => {
    const answers: Array<(r: JobsResponse) => void> = [];
    const model = createJobsModel({ jobs: () => new Promise<JobsResponse>((resolve) => answers.push(resolve)) });
    const first = model.load('sz-futian');
    const second = model.load('gz-tianhe');
    answers[1]?.({ ok: true, jobs: [sync] });
    answers[0]?.({ ok: true, jobs: [] });
    await Promise.all([first, second]);
    expect(model.jobs.value).toEqual([sync]);
    expect(model.error.value).toBeNull();
  });

  it('says the last run with its node, or never', () => {
    expect(lastRunText(sync, NOW)).toBe('succeeded 3 min ago on gz-tianhe-b');
    expect(
      lastRunText({ ...sync, lastRun: { ...sync.lastRun, event: 'fail', node: null } as StoreJob['lastRun'] }, NOW),
    ).toBe('failed 3 min ago');
    expect(lastRunText({ ...sync, lastRun: null }, NOW)).toBe('never');
  });
});
