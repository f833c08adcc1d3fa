import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';
import { TEST_SECRETS } from '#harness/test-secrets.ts';

// One config, one project per runtime tier (STYLE.md rule 7).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', environment: 'node', include: ['test/shared/**/*.test.ts'] } },
      { test: { name: 'node', environment: 'node', include: ['test/node/**/*.test.ts'], testTimeout: 30_000 } },
      {
        // The built extension and the status page in Debian's Chromium, against the worker under wrangler dev.
        test: {
          name: 'browser',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // Real PostgreSQL, real agents, the worker under wrangler dev: one file at a time.
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The extension's logic against WXT's fakeBrowser (globals `browser`/`chrome`, `wxt/browser`).
        // `mode: 'test'`: WXT sets NODE_ENV to its mode when unset, for the whole run; its default
        // ("development") reached the e2e tier's `wrangler dev` and changed what it does.
        plugins: [WxtVitest({ root: 'extension', mode: 'test' })],
        test: { name: 'extension', environment: 'node', include: ['test/extension/**/*.test.ts'] },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: TEST_SECRETS },
          }),
        ],
        test: {
          name: 'worker',
          include: ['test/worker/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
