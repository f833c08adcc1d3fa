/**
 * Demo secrets: `.dev.vars` is where `wrangler dev` reads secrets. The demo writes one with random
 * tokens when there is none, and otherwise uses the one that is there (never overwrites it).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SECRET_NAMES as NAMES, type WorkerSecrets } from './stack.ts';

/** `NAME="value"` lines of a `.dev.vars` file; anything else (comments, blanks) is skipped. */
export function parseDevVars(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(line);
    if (match?.[1] && match[2] !== undefined) out[match[1]] = match[2];
  }
  return out;
}

export function loadOrCreateDevVars(path: string): { secrets: WorkerSecrets; created: boolean } {
  if (existsSync(path)) {
    const vars = parseDevVars(readFileSync(path, 'utf8'));
    const missing = NAMES.filter((n) => !vars[n]);
    if (missing.length > 0) throw new Error(`${path} lacks ${missing.join(', ')}; add them or delete the file`);
    const first = (n: (typeof NAMES)[number]) => (vars[n] ?? '').split(',')[0]?.trim() ?? '';
    return {
      secrets: {
        ADMIN_TOKEN: first('ADMIN_TOKEN'),
        OPERATOR_TOKEN: first('OPERATOR_TOKEN'),
        VIEWER_TOKEN: first('VIEWER_TOKEN'),
        WEBHOOK_SECRET: vars.WEBHOOK_SECRET ?? '',
        HOOK_SECRET: vars.HOOK_SECRET ?? '',
      },
      created: false,
    };
  }
  const token = (role: string) => `demo-${role}-${randomBytes(9).toString('base64url')}`;
  const secrets: WorkerSecrets = {
    ADMIN_TOKEN: token('admin'),
    OPERATOR_TOKEN: token('operator'),
    VIEWER_TOKEN: token('viewer'),
    WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
    HOOK_SECRET: randomBytes(24).toString('base64url'),
  };
  const body = NAMES.map((n) => `${n}="${secrets[n]}"`).join('\n');
  writeFileSync(path, `# Written by npm start for the local demo. Never use these values in production.\n${body}\n`, {
    mode: 0o600,
  });
  return { secrets, created: true };
}
