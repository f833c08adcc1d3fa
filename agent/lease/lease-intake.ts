/**
 * Where leases enter the agent: a probe's headers (`GET /health`) and a push's answer. Each is
 * verified (./lease-header.ts) with this node's action key(s) and handed to the self-fence keeper,
 * which counts it from now on its monotonic clock. A lease that fails verification, names another
 * store or node, or is stale is ignored with a log line: it never fails the health answer or the push.
 */
import type { AgentReport } from '#shared/schemas/report.ts';
import { describeError } from '../describe-error.ts';
import { type LeaseReading, leaseFromHeaders, leaseFromPushAnswer } from './lease-header.ts';
import type { SelfFenceKeeper } from './self-fence-keeper.ts';

export interface LeaseIntakeOptions {
  /** This node's action key(s), `key(WEBHOOK_SECRET, store, node)`: any verifies. */
  keys: readonly string[];
  store: string;
  node: string;
  keeper: SelfFenceKeeper;
  log: (line: string) => void;
  /** Wall clock, for the 300 s signature window only. */
  now?: () => number;
}

export interface LeaseIntake {
  fromProbe(header: (name: string) => string | undefined, from: string): Promise<void>;
  fromPushAnswer(body: unknown, from: string): Promise<void>;
  /** The report with the lease this node holds added (primaries only). */
  decorate(report: AgentReport): AgentReport;
}

export function leaseIntake(o: LeaseIntakeOptions): LeaseIntake {
  const now = o.now ?? Date.now;
  const verifier = () => ({ keys: o.keys, store: o.store, node: o.node, nowMs: now() });
  const take = async (read: () => Promise<LeaseReading>, from: string) => {
    let reading: LeaseReading;
    try {
      reading = await read();
    } catch (error) {
      o.log(`lease from ${from} ignored: ${describeError(error)}`);
      return;
    }
    if (reading.kind === 'rejected') o.log(`${reading.reason} (from ${from})`);
    if (reading.kind === 'lease') o.keeper.takeLease(reading.lease, from);
  };
  return {
    fromProbe: (header, from) => take(() => leaseFromHeaders(header, verifier()), from),
    fromPushAnswer: (body, from) => take(() => leaseFromPushAnswer(body, verifier()), from),
    decorate(report) {
      if (report.role !== 'primary') return report;
      const lease = o.keeper.leaseReport(report.epoch);
      return lease === null ? report : { ...report, lease };
    },
  };
}
