/** One probe round of a store: every node (HTTP and TCP), the active endpoint and the arbiter, in parallel. */
import type { ProbeOutcome } from '#shared/observations.ts';
import type { RoundSample } from '#shared/rollup.ts';
import type { StoreConfig } from '#shared/schemas/config.ts';
import { type Clock, probeHttp, probeTcp } from './probe.ts';

export interface RoundResults {
  nodes: Array<{ id: string; http: ProbeOutcome; tcp: ProbeOutcome | null }>;
  active: ProbeOutcome;
  arbiter: ProbeOutcome | null;
}

/** `leased`: the headers of the lease for the one node that gets it (contract section 6), if any. */
export async function probeStore(
  store: StoreConfig,
  timeoutMs: number,
  clock: Clock,
  leased: { node: string; headers: Record<string, string> } | null = null,
): Promise<RoundResults> {
  const [nodes, active, arbiter] = await Promise.all([
    Promise.all(
      store.nodes.map(async (n) => {
        const [http, tcp] = await Promise.all([
          probeHttp(n.url, timeoutMs, clock, leased?.node === n.id ? leased.headers : {}),
          n.tcp ? probeTcp(n.tcp, timeoutMs, clock) : Promise.resolve(null),
        ]);
        return { id: n.id, http, tcp };
      }),
    ),
    probeHttp(store.activeEndpoint, timeoutMs, clock),
    store.arbiter ? probeHttp(store.arbiter.url, timeoutMs, clock) : Promise.resolve(null),
  ]);
  return { nodes, active, arbiter };
}

/** The round as the rollups count it: one sample per endpoint probed. */
export function roundSamples(round: RoundResults): RoundSample['probes'] {
  const sample = (endpoint: string, p: ProbeOutcome) => ({
    endpoint,
    ok: p.ok,
    latencyMs: p.latencyMs,
    lagSeconds: p.report?.replication?.lagSeconds ?? null,
  });
  return [
    ...round.nodes.flatMap((r) => [sample(`node:${r.id}`, r.http), ...(r.tcp ? [sample(`tcp:${r.id}`, r.tcp)] : [])]),
    sample('active', round.active),
    ...(round.arbiter ? [sample('arbiter', round.arbiter)] : []),
  ];
}
