/** `npm run demo:fault -- <store> <fault> [seconds|node]`: injects a fault into the running demo's simulator. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeError } from '#agent/describe-error.ts';
import { controlClient } from '#sim/control-client.ts';
import { FaultRequest } from '#sim/control-schema.ts';

const USAGE = `usage: npm run demo:fault -- <store> <fault> [arg]
faults: crash [node] | restore [node] | wan-cut | wan-restore | lag <seconds> | partition | isolate [node] | heal |
        flap <seconds> | http500 [node] | garbage [node] | disk <percent> | reinstate <node> | reset`;

const Demo = z.object({ url: z.string(), controlToken: z.string() });

const [store, fault, arg] = process.argv.slice(2);
if (!store || !fault) {
  console.error(USAGE);
  process.exit(2);
}
let demo: z.infer<typeof Demo>;
try {
  demo = Demo.parse(JSON.parse(readFileSync('.dev.sim.json', 'utf8')));
} catch (err) {
  const missing = err instanceof Error && 'code' in err && err.code === 'ENOENT';
  console.error(
    missing
      ? 'no running demo found (.dev.sim.json is missing): start one with `npm start`'
      : `.dev.sim.json cannot be used (${describeError(err)}): restart the demo with \`npm start\``,
  );
  process.exit(2);
}
const numeric = arg !== undefined && /^\d+(\.\d+)?$/.test(arg);
const request = FaultRequest.safeParse({
  fault,
  ...(numeric ? { [fault === 'disk' ? 'percent' : 'seconds']: Number(arg) } : arg ? { node: arg } : {}),
});
if (!request.success) {
  console.error(`not a fault this simulator knows: ${fault} ${arg ?? ''}\n${USAGE}`);
  process.exit(2);
}
const { fault: name, ...args } = request.data;
try {
  const state = await controlClient(demo.url, demo.controlToken).inject(store, name, args);
  console.log(`${name} injected into ${store}:`, JSON.stringify(state));
} catch (err) {
  console.error(describeError(err));
  process.exit(1);
}
