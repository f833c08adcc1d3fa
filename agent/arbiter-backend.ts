/**
 * The arbiter: a third host next to a store's nodes with no database of its own. It tells the
 * monitor which nodes it still sees (docs/PROTOCOL.md section 3, `sees`), so a primary the edge cannot
 * reach is only called lost when the site agrees. A node is seen when its agent answers `/health`
 * with a valid report of a healthy database (a living agent in front of a dead database is not a
 * living node) and, where a database address is listed, that port accepts a TCP connection.
 * It takes no actions; its epoch is the highest it has seen a node report.
 */
import { AgentReport } from '#shared/schemas/report.ts';
import { ActionRefusedError, type Backend } from './backend.ts';
import { describeError } from './describe-error.ts';
import type { ResourceSampler } from './resources.ts';
import { type Address, formatAddress, tcpProbe } from './tcp-probe.ts';

export interface ArbiterNode {
  id: string;
  /** The node agent's base URL; `/health` is appended. */
  url?: string;
  /** The node's database address. */
  tcp?: Address;
}

export interface ArbiterOptions {
  name: string;
  nodes: readonly ArbiterNode[];
  timeoutMs?: number;
  resources?: ResourceSampler | null;
  log?: (line: string) => void;
  now?: () => number;
  fetch?: typeof fetch;
}

type Sight = { seen: true; epoch: number | null } | { seen: false; reason: string };

async function lookAtAgent(url: string, timeoutMs: number, fetchImpl: typeof fetch): Promise<Sight> {
  const target = `${url.replace(/\/+$/, '')}/health`;
  try {
    const res = await fetchImpl(target, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const text = await res.text();
    if (!res.ok) return { seen: false, reason: `${target} answered HTTP ${res.status}` };
    const parsed = AgentReport.safeParse(JSON.parse(text));
    if (!parsed.success) return { seen: false, reason: `${target} answered an invalid report` };
    if (!parsed.data.healthy) return { seen: false, reason: `${target} reports its database unhealthy` };
    return { seen: true, epoch: parsed.data.epoch };
  } catch (error) {
    return { seen: false, reason: `${target} failed: ${describeError(error)}` };
  }
}

export function arbiterBackend(options: ArbiterOptions): Backend {
  const timeoutMs = options.timeoutMs ?? 1000;
  const log = options.log ?? ((line: string) => console.log(`[arbiter ${options.name}] ${line}`));
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const lastSeen = new Map<string, boolean>();
  let epoch = 0;

  async function look(node: ArbiterNode): Promise<Sight> {
    const [agent, port] = await Promise.all([
      node.url ? lookAtAgent(node.url, timeoutMs, fetchImpl) : Promise.resolve<Sight>({ seen: true, epoch: null }),
      node.tcp ? tcpProbe(node.tcp, timeoutMs) : Promise.resolve({ ok: true as const }),
    ]);
    if (!agent.seen) return agent;
    if (!port.ok && node.tcp) return { seen: false, reason: `database ${formatAddress(node.tcp)}: ${port.reason}` };
    return agent;
  }

  const refuse = async (): Promise<never> => {
    throw new ActionRefusedError(404, 'not_found', 'the arbiter takes no actions');
  };

  return {
    async report() {
      const sights = await Promise.all(options.nodes.map(async (node) => [node.id, await look(node)] as const));
      const sees: Record<string, boolean> = {};
      for (const [id, sight] of sights) {
        sees[id] = sight.seen;
        if (sight.seen && sight.epoch !== null) epoch = Math.max(epoch, sight.epoch);
        if (lastSeen.get(id) !== sight.seen) {
          log(sight.seen ? `sees ${id}` : `does not see ${id}: ${sight.reason}`);
          lastSeen.set(id, sight.seen);
        }
      }
      const resources = options.resources ? { resources: await options.resources.sample() } : {};
      return {
        node: options.name,
        role: 'arbiter',
        epoch,
        healthy: true,
        time: new Date(now()).toISOString(),
        sees,
        ...resources,
      };
    },
    promote: refuse,
    fence: refuse,
  };
}
