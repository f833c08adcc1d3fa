/**
 * Debian's Chromium driven by playwright-core (a browser download of its own is not possible
 * here), with the flags that keep it off the closed network. Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = resolve('test-artifacts');

const QUIET = ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

function assertChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export async function launchWithExtension(extensionDir: string): Promise<BrowserContext> {
  assertChromium();
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'mirrorwatch-chromium-')), {
    headless: true,
    executablePath: CHROMIUM,
    args: ['--no-sandbox', `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...QUIET],
  });
}

export async function launchPlain() {
  assertChromium();
  return chromium.launch({ headless: true, executablePath: CHROMIUM, args: ['--no-sandbox', ...QUIET] });
}
