/** `mirrorwatch …` (bin/mirrorwatch.mjs starts this under Node 22): the process around cli/run.ts. */
import { homedir } from 'node:os';
import { createInterface } from 'node:readline/promises';
import { runCli } from './run.ts';

let stopped = false;
let wake: (() => void) | null = null;
process.on('SIGINT', () => {
  // The first Ctrl-C ends a --watch loop cleanly; a command not waiting ends as usual.
  if (wake === null) process.exit(130);
  stopped = true;
  wake();
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  home: homedir(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  stdoutIsTTY: process.stdout.isTTY === true,
  stdinIsTTY: process.stdin.isTTY === true,
  fetch: globalThis.fetch,
  async ask(question) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  },
  wait: (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve(!stopped);
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve(false);
      };
    }),
});
