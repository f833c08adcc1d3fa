/**
 * CLI: `npm run demo:fault -- <store> <fault> [seconds|percent|node]` injects a fault into the running
 * demo's simulator (scripts/demo/fault-command.ts) and prints one line. Wiring only.
 */
import { readFileSync } from 'node:fs';
import { describeError } from '#agent/describe-error.ts';
import { DemoFile } from './demo/demo-file.ts';
import { FAULT_USAGE, runFaultCommand } from './demo/fault-command.ts';

const args = process.argv.slice(2);
if (args.length < 2) {
  console.error(FAULT_USAGE);
  process.exit(2);
}
let demo: DemoFile;
try {
  demo = DemoFile.parse(JSON.parse(readFileSync(DemoFile.path, 'utf8')));
} catch (err) {
  const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
  console.error(
    missing
      ? `no running demo found (${DemoFile.path} is missing): start one with \`npm start\``
      : `${DemoFile.path} cannot be used (${describeError(err)}): restart the demo with \`npm start\``,
  );
  process.exit(2);
}
const outcome = await runFaultCommand(args, demo);
process.stdout.write(outcome.stdout);
process.stderr.write(outcome.stderr);
process.exitCode = outcome.code;
