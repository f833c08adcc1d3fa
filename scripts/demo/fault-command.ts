/**
 * `npm run demo:fault -- <store> <fault> [arg]`: injects one fault into the running demo's simulator
 * and prints one line saying what the store looks like now. Everything but the process is here, so
 * the test drives it against a simulator without spawning anything.
 */
import { describeError } from '#agent/describe-error.ts';
import { ControlError, controlClient } from '#sim/control-client.ts';
import { FaultRequest, type SimNodeState, type SimStoreState } from '#sim/control-schema.ts';

export const FAULT_USAGE = `usage: npm run demo:fault -- <store> <fault> [arg]
faults:
  crash [node]        the node (default: the primary) stops; "arbiter" crashes the arbiter
  restore [node]      the node (default: every node and the arbiter) is up and answering again
  wan-cut             the edge reaches nothing of the store; the pair keeps running inside
  wan-restore         the WAN link is back
  lag <seconds>       the standbys fall this far behind
  disk <percent>      the primary's disk is this full (a resource warning from 90 %)
  partition           the nodes cannot reach each other; the arbiter still sees both
  isolate [node]      the node (default: the primary) is cut off from the edge, its standby and the
                      arbiter, while the store's own clients still reach it (it fences itself)
  heal                partition, isolation, injected lag and disk fill cleared
  flap <seconds>      the primary goes down and up every period
  http500 [node]      the node's agent answers HTTP 500
  garbage [node]      the node's agent answers invalid JSON
  reinstate <node>    a fenced old primary rejoins as a standby (an operator's rebuild)
  reset               every fault cleared, every node healthy; the primary and epoch stay`;

export interface Demo {
  url: string;
  controlToken: string;
}

export interface FaultOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

const fail = (code: number, stderr: string): FaultOutcome => ({ code, stdout: '', stderr: `${stderr}\n` });

/** The fault request the arguments name, or null when they name none this simulator knows. */
export function faultRequest(fault: string, arg: string | undefined): FaultRequest | null {
  const numeric = arg !== undefined && /^\d+(\.\d+)?$/.test(arg);
  const parsed = FaultRequest.safeParse({
    fault,
    ...(numeric ? { [fault === 'disk' ? 'percent' : 'seconds']: Number(arg) } : arg ? { node: arg } : {}),
  });
  return parsed.success ? parsed.data : null;
}

function nodeText(n: SimNodeState, primary: string | null): string {
  const flags = [
    n.crashed ? 'crashed' : n.down ? 'down' : null,
    n.fenced ? 'fenced' : null,
    n.flapSeconds !== null ? `flapping ${n.flapSeconds} s` : null,
    n.responding !== 'ok' ? `answers ${n.responding}` : null,
    n.role === 'standby' && (n.report?.replication?.lagSeconds ?? 0) >= 5
      ? `lag ${n.report?.replication?.lagSeconds} s`
      : null,
    n.report?.resources?.diskPercent !== undefined && n.report.resources.diskPercent >= 90
      ? `disk ${n.report.resources.diskPercent} %`
      : null,
  ].filter((f) => f !== null);
  const role = n.id === primary ? 'primary' : n.role === 'primary' ? 'old primary' : 'standby';
  return `${n.id} ${role}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
}

/** One line: the store's nodes, its epoch and whatever is unusual about it. */
export function storeLine(s: SimStoreState): string {
  const extras = [
    s.wanCut ? `WAN cut (${s.wanCut})` : null,
    s.partitioned ? 'partitioned' : null,
    s.arbiter && (s.arbiter.crashed || s.arbiter.responding !== 'ok')
      ? `arbiter ${s.arbiter.crashed ? 'crashed' : `answers ${s.arbiter.responding}`}`
      : null,
    ...s.pendingPromotions.map((p) => `promotion of ${p.node} to epoch ${p.epoch} pending`),
  ].filter((e) => e !== null);
  const nodes = s.nodes.map((n) => nodeText(n, s.primary)).join(', ');
  return `${s.id} at epoch ${s.epoch}: ${nodes}${extras.length > 0 ? `; ${extras.join('; ')}` : ''}`;
}

export async function runFaultCommand(
  args: readonly string[],
  demo: Demo,
  fetchImpl: typeof fetch = fetch,
): Promise<FaultOutcome> {
  const [store, fault, arg] = args;
  if (!store || !fault || store === '--help' || store === '-h') return fail(2, FAULT_USAGE);
  const request = faultRequest(fault, arg);
  if (!request) return fail(2, `not a fault this simulator knows: ${[fault, arg].join(' ').trim()}\n${FAULT_USAGE}`);
  const control = controlClient(demo.url, demo.controlToken, fetchImpl);
  const { fault: name, ...rest } = request;
  try {
    const state = await control.inject(store, name, rest);
    const what = [name, arg].filter(Boolean).join(' ');
    return { code: 0, stdout: `${what} → ${storeLine(state)}\n`, stderr: '' };
  } catch (err) {
    if (err instanceof ControlError && err.code === 'unknown_store') {
      const known = (await control.state()).map((s) => s.id).join(', ');
      return fail(1, `no store "${store}" in the demo; its stores: ${known}`);
    }
    if (err instanceof ControlError) return fail(1, `${fault} refused: ${err.detail}`);
    return fail(
      1,
      `the demo's simulator did not answer at ${demo.url} (${describeError(err)}): is \`npm start\` running?`,
    );
  }
}
