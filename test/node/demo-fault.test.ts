import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN, type Harness, startHarness } from '#harness/sim-harness.ts';
import { FAULT_USAGE, runFaultCommand } from '#scripts/demo/fault-command.ts';
import { FAULTS } from '#sim/control-schema.ts';

const S = 'gz-tianhe';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ stores: 8 });
});
afterAll(() => h.close());

const run = (...args: string[]) => runFaultCommand(args, { url: h.server.url, controlToken: CONTROL_TOKEN });

describe('npm run demo:fault', () => {
  it('prints one line per command: what was injected and how the store stands', async () => {
    const crash = await run(S, 'crash');
    expect(crash).toMatchObject({ code: 0, stderr: '' });
    expect(crash.stdout).toMatch(
      /^crash → gz-tianhe at epoch \d+: gz-tianhe-a primary \(crashed\), gz-tianhe-b standby\n$/,
    );
    expect((await run(S, 'restore')).stdout).toMatch(/^restore → gz-tianhe at epoch \d+: gz-tianhe-a primary, /);
    expect((await run(S, 'lag', '45')).stdout).toMatch(/gz-tianhe-b standby \(lag 45 s\)/);
    expect((await run(S, 'disk', '95')).stdout).toMatch(/gz-tianhe-a primary \(disk 95 %\)/);
    const reset = await run(S, 'reset');
    expect(reset.stdout).toMatch(/^reset → gz-tianhe at epoch \d+: gz-tianhe-a primary, gz-tianhe-b standby\n$/);
    for (const out of [crash, reset]) expect(out.stdout.length).toBeLessThan(200);
  });

  it('names an unknown store in one line with the stores it has, and an unknown node with its nodes', async () => {
    const out = await run('nowhere', 'crash');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`no store "nowhere" in the demo; its stores: ${h.specs.map((s) => s.id).join(', ')}\n`);
    const node = await run(S, 'crash', 'gz-tianhe-z');
    expect(node.stderr).toBe(
      'crash refused: store gz-tianhe has no node "gz-tianhe-z" (nodes: gz-tianhe-a, gz-tianhe-b)\n',
    );
  });

  it('lists every fault the simulator knows in its usage, and refuses one it does not', async () => {
    for (const fault of FAULTS) expect(FAULT_USAGE).toMatch(new RegExp(`^  ${fault}\\b`, 'm'));
    const out = await run(S, 'explode');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('not a fault this simulator knows: explode');
    expect((await run()).stderr).toBe(`${FAULT_USAGE}\n`);
  });

  it('says when the simulator does not answer, naming npm start', async () => {
    const out = await runFaultCommand([S, 'crash'], { url: 'http://127.0.0.1:9', controlToken: 'x' });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/did not answer at http:\/\/127\.0\.0\.1:9 .*is `npm start` running\?\n$/);
  });
});
