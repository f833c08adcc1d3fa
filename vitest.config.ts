import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/** Test-only secrets; real deployments set them with `wrangler secret put`. */
export const TEST_SECRETS = {
  ADMIN_TOKEN: 'admin-token-1,admin-token-2',
  OPERATOR_TOKEN: 'operator-token',
  VIEWER_TOKEN: 'viewer-token',
  WEBHOOK_SECRET: 'webhook-secret-for-tests',
  HOOK_SECRET: 'hook-secret-for-tests',
};

// One config, one project per runtime tier (STYLE.md rule 7).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'shared', environment: 'node', include: ['test/shared/**/*.test.ts'] } },
      { test: { name: 'node', environment: 'node', include: ['test/node/**/*.test.ts'], testTimeout: 30_000 } },
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
