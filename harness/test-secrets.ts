/** Test-only secrets for the Workers tests; real deployments set them with `wrangler secret put`. */
export const TEST_SECRETS = {
  ADMIN_TOKEN: 'admin-token-1,admin-token-2',
  OPERATOR_TOKEN: 'operator-token',
  VIEWER_TOKEN: 'viewer-token',
  WEBHOOK_SECRET: 'webhook-secret-for-tests',
  HOOK_SECRET: 'hook-secret-for-tests',
  /** Named by alert channels and jobs in the Workers tests' configs. */
  ALERT_WEBHOOK_SECRET: 'alert-webhook-secret-for-tests',
  JOB_TOKEN_NIGHTLY: 'job-token-nightly-for-tests',
};
