/**
 * The text of BENCHMARKS.md's sections, from the figures `main.ts` measured: each section says
 * when and how it was measured, its table, its target and whether it was met.
 */
import { gzipSync } from 'node:zlib';
import { renderStatusPage } from '#worker/views/status-page.ts';
import type { Detection, FaultKind } from './failover-time.ts';
import type { PgRun } from './pg-failover.ts';
import type { PartitionRun } from './pg-partition.ts';
import type { ReadPath } from './read-path.ts';
import type { ScaleResult } from './scale.ts';
import { medianRange, spread } from './stats.ts';

export interface ReportContext {
  /** When and how the figures were measured, opening each section. */
  stamp: string;
  /** Whether the detection runs included a standby crash. */
  standbyCrash: boolean;
}

/** Each section's heading: the key by which a rerun of some sections keeps the others' text. */
export const HEADINGS = {
  scale: 'Scale: probe rounds at 10, 100 and 1,000 stores',
  cost: 'Cost: rows written, Durable Object requests, monthly cost per store',
  detection: 'Detection and failover: fault to stream, crash to promote',
  read: 'Read path with 1,000 stores',
  extension: 'Extension: status change to badge change',
  pg: 'PostgreSQL: kill -9 of the primary (one run each)',
  partition: 'PostgreSQL: primary cut off, self-fence before promote (one run each)',
};
const H = HEADINGS;

export const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const ms0 = (ms: number) => `${ms.toFixed(0)} ms`;
export const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function splitSections(md: string): Map<string, string> {
  const out = new Map<string, string>();
  const parts = md.split(/^## /m).slice(1);
  for (const part of parts) {
    const heading = part.slice(0, part.indexOf('\n')).trim();
    if (heading !== 'Machine') out.set(heading, `## ${part.trimEnd()}\n`);
  }
  return out;
}

export function scaleText(ctx: ReportContext, s: ScaleResult): string {
  const rows = s.steps.map((step) => {
    const r = step.runs;
    const late99 = spread(r.map((x) => x.latenessP99));
    return `| ${step.stores.toLocaleString('en')} | ${(step.stores / 5).toFixed(0)} | ${medianRange(
      r.map((x) => x.roundsPerSecond),
      1,
    )} | ${medianRange(
      r.map((x) => x.latenessP50),
      0,
      ' ms',
    )} | ${medianRange(
      r.map((x) => x.latenessP99),
      0,
      ' ms',
    )} | ${medianRange(
      r.map((x) => x.cpuMsPerRound),
      2,
      ' ms',
    )} | ${medianRange(
      r.map((x) => x.runtimeCores * 100),
      0,
      ' %',
    )} | ${medianRange(
      r.map((x) => x.rssMiB),
      0,
    )} / ${Math.max(...r.map((x) => x.hwmMiB)).toFixed(0)} MiB | ${medianRange(
      r.map((x) => x.machineBusy * 100),
      0,
      ' %',
    )} | ${step.stores === 1000 ? verdict(late99.max < 1000) : ''} |`;
  });
  const runsN = s.steps[0]?.runs.length ?? 0;
  const window = s.steps[0]?.runs[0]?.seconds ?? 0;
  return `## ${H.scale}

${ctx.stamp} Target: 1,000 stores at the default 5 s interval with round lateness p99 under 1 s.

| stores | due rounds/s | rounds/s sustained | lateness p50 | lateness p99 | workerd CPU per round | workerd busy (one core) | workerd RSS / peak | machine busy (2 cores) | target |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Each figure is the median over ${runsN} window${runsN === 1 ? '' : 's'} of ${window.toFixed(0)} s, with the range over them in brackets.

Method: one worker under \`wrangler dev\` and one simulated fleet of demo stores (\`demoStoreSpecs\`:
two nodes, a third DR node in every seventh store, an arbiter in seven of eight; about 4 probes a
round), all at the default 5 s interval and 2 s timeout. The fleet grows 10 → 100 → 1,000; new
stores are added in ten slices across one interval, as monitors placed across Cloudflare's machines
would not all start in the same instant, then each size warms up until every store has run its
start-up rounds. Then the windows:

- **Rounds per second** are counted by the stores: the simulator notes when each store's endpoints
  are asked for a report; the requests of one round arrive within milliseconds of each other, so
  the first after a quiet gap starts a round (\`scripts/bench/round-clock.ts\`).
- **Lateness**: a monitor schedules round n+1 at (start of round n) + interval, so the gap between
  two consecutive round starts at a store, minus the interval, is that round's lateness (give or
  take the difference of two loopback delays, well under a millisecond). It does not accumulate:
  each round is due one interval after the previous one actually began.
- **CPU per round**: utime + stime of the runtime workerd (the process that runs the worker, its
  Durable Objects and their alarms; \`/proc/<pid>/stat\`) over the window, divided by the rounds in
  it; at 10 stores the runtime's own background work, spread over few rounds, weighs more. **Memory**: its VmRSS at the end of the window and VmHWM. \`wrangler dev\` also runs a proxy
  workerd in front of the port, which probing does not pass through.
- **Machine busy** is all CPUs from \`/proc/stat\`: the simulator and this benchmark share the 2
  cores with workerd, and so does anything else running on the machine at the time.
`;
}

export function detectionText(ctx: ReportContext, ds: Detection[]): string {
  const kinds: FaultKind[] = ['standby lag 45 s', 'standby crash', 'primary crash'];
  const streamRows = ds.flatMap((d) =>
    kinds
      .map((k) => ({ k, xs: d.faultToStream.filter((t) => t.kind === k).map((t) => t.ms) }))
      .filter(({ xs }) => xs.length > 0)
      .map(({ k, xs }) => {
        const st = spread(xs);
        const to = [...new Set(d.faultToStream.filter((t) => t.kind === k).map((t) => t.status))].join(' or ');
        const target = d.scenario.intervalSeconds === 5 ? `${verdict(st.p95 < 8000)} (< 8 s)` : '';
        return `| ${d.scenario.name} | ${k} → ${to} | ${xs.length} | ${sec(st.median)} | ${sec(st.p95)} | ${sec(st.max)} | ${target} |`;
      }),
  );
  const promoteRows = ds.map((d) => {
    const st = spread(d.crashToPromote.map((t) => t.crashToPromoteMs));
    const target = d.scenario.intervalSeconds === 1 ? 8000 : (d.scenario.thresholdSeconds + 2) * 1000;
    return `| ${d.scenario.name} | ${st.n} | ${sec(st.median)} | ${sec(st.min)} – ${sec(st.max)} | ≤ ${sec(target)} | ${verdict(st.max <= target)} |`;
  });
  return `## ${H.detection}

${ctx.stamp} Target: fault to stream p95 under 8 s at the defaults.

Fault injected to the new status delivered on the stream:

| scenario | fault | runs | p50 | p95 | max | target |
|---|---|---|---|---|---|---|
${streamRows.join('\n')}

Primary crash to promote received:

| scenario | runs | median | min – max | target | |
|---|---|---|---|---|---|
${promoteRows.join('\n')}

Method: a simulated fleet on loopback and the worker under \`wrangler dev\` with a fresh state
directory; failover mode \`auto\`, probe timeout 1 s, defaults otherwise. Once every store is
healthy, a client in the benchmark opens \`/api/v1/stream\` (subprotocol \`mirrorwatch.bearer.<token>\`,
as the extension does) and notes when each store's status arrives. Faults are injected through the
simulator's control API one store after another, staggered across one probe interval so that they
fall at different phases of it: a standby lag of 45 s (over the 30 s limit: degraded at the next
round)${ctx.standbyCrash ? ', a standby crash (its connections reset: degraded at the first failed round)' : ''}, each
followed by a reset and the stream showing the store healthy again; then the primary crashes. A
figure is the time from the injection to the stream delivering the store's new status (degraded;
for the primary crash the first status other than healthy). Crash to promote is the time to the
simulated standby's agent receiving the signed \`promote\` (the simulator's receive timestamp; one
clock).

How to read it: a fault waits up to one interval for the next round (half on average), and a
failed probe makes the next round come 1 s later to confirm it. The loss clock of a failover starts
at the primary's last successful answer (at most half a threshold before the first failed probe),
so a crash just after a round is charged the whole threshold and one just before a round up to one
interval less; after the threshold the standby's and arbiter's views must agree, then the record
is written, the fence is tried on the dead primary (the simulator resets the connection at once),
and the promote is sent. A primary that hangs instead of refusing adds up to the 5 s action timeout.
`;
}

export function readText(ctx: ReportContext, reads: ReadPath[], s: ScaleResult): string {
  const rows = reads.flatMap((r) =>
    r.results.map(
      (x) =>
        `| ${r.intervalSeconds} s | \`${x.path}\` | ${x.result.requests} | ${x.result.perSecond.toFixed(0)} | ${x.result.p50.toFixed(1)} ms | ${x.result.p99.toFixed(1)} ms | ${x.serial.p50.toFixed(1)} ms | ${x.runtimeCpuMsPerRequest.toFixed(1)} + ${x.proxyCpuMsPerRequest.toFixed(1)} ms | ${(x.runtimeBusy * 100).toFixed(0)} % | ${x.result.errors} | ${verdict(x.result.p99 < 50)} |`,
    ),
  );
  const page40 = s.page40;
  const full40 = fullHistoryPageBytes(40);
  const first = reads[0];
  return `## ${H.read}

${ctx.stamp} Target: p99 under 50 ms.

| probe interval | path | requests | per second | p50 | p99 | one at a time, p50 | CPU per request (runtime + proxy) | runtime busy | errors | target |
|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Method: the scale run's stack at 1,000 stores (simulated demo stores, local Durable Object state on
tmpfs), probing every 5 s. For each path, first one client sends requests back to back (the
service time, nothing of ours queued), then ${first?.concurrency ?? 8} clients on loopback do the same for
${first?.seconds ?? 0} s each. The public JSON and page are cached at the edge for 5 s (the local Cache API);
\`/api/v1/stores\` is the viewer's list (not cached, memoised for 1 s in the Fleet). CPU per request
is each workerd's CPU time over the load divided by its requests; for the runtime, less what it
spent probing meanwhile (measured for 3 s just before without reads: ${reads.map((r) => `${(r.baselineBusy * 100).toFixed(0)} % of a core at a ${r.intervalSeconds} s interval`).join(', ')}).
Runtime busy is its whole share of one core under the load, probing included.${reads.length > 1 ? ' The 300 s rows reconfigure the same 1,000 stores to a 300 s interval: the read path without probing.' : ''}

Why the target is missed here: ${first?.concurrency ?? 8} clients sending back to back to a server that is the
bottleneck each wait, by Little's law, about ${first?.concurrency ?? 8} times its service time, so a p99 under 50 ms
would need every request served in well under ${(50 / (first?.concurrency ?? 8)).toFixed(0)} ms with everything counted: local workerd runs
the worker, the Fleet, every store monitor and the local Cache API on one thread, behind a proxy
workerd, and the simulator and the load generator share the same 2 cores. One request at a time
takes ${(first?.results ?? []).map((x) => `${x.serial.p50.toFixed(0)} ms for \`${x.path}\``).join(', ')}: at 1,000 stores the bodies are large (the store
list about 0.9 MB, the public JSON about 190 KB, the page about 130 KB) and each one crosses the
RPC from the Fleet (the list) and both workerd processes. At a 5 s interval the runtime is already
${((first?.baselineBusy ?? 0) * 100).toFixed(0)} % busy probing, so the reads saturate it and the tail waits behind bursts of rounds. On
Cloudflare the reads are spread over many isolates and colos, the public ones come from the edge
cache, and the 1,000 monitors run in their own objects; one machine cannot show that. What was ours
to fix: concurrent misses of the store list each serialised and hashed the 0.9 MB body again in
the Fleet; it is now built once per second whoever asks (an A/B run on this machine on 2026-11-21,
at a 5 s interval: the runtime's CPU per list request from about 23 to 17 ms, its rate from about
20 to 27 a second).

Status page weight for 40 stores: ${page40 ? `${(page40.raw / 1024).toFixed(1)} KB raw, ${(page40.gzip / 1024).toFixed(1)} KB gzipped as served by the worker (healthy, with today's history and 89 empty days)` : 'not measured'};
with 90 days of history for each (rendered by the same view): ${(full40.raw / 1024).toFixed(1)} KB raw, ${(full40.gzip / 1024).toFixed(1)} KB gzipped (target < 100 KB as sent).
Above 60 stores the page lists compact rows and moves the 90-day bars to each region's page.
`;
}

export function extensionText(
  ctx: ReportContext,
  e: { badgeMs: number[]; sizes: { popup: number; background: number } },
): string {
  const st = spread(e.badgeMs);
  return `## ${H.extension}

${ctx.stamp}

| figure | median | max | target |
|---|---|---|---|
| pushed status to badge change | ${ms0(st.median)} | ${ms0(st.max)} | < 1000 ms |

Bundle sizes (gzip -9 of each script and every chunk it imports): popup ${(e.sizes.popup / 1024).toFixed(1)} KB (target < 30 KB),
background ${(e.sizes.background / 1024).toFixed(1)} KB (target < 15 KB).

Method: the built extension in Debian's Chromium (headless), watching one simulated store through
the worker under \`wrangler dev\`. A stream client in the benchmark process notes when the worker
pushes the store's new status; the badge colour is read every 5 ms through the extension's service
worker. A standby lag of 45 s is injected, then the store is reset, ${e.badgeMs.length} changes in all.
`;
}

export function pgText(ctx: ReportContext, pgRuns: PgRun[]): string {
  const rows = pgRuns.map(
    (r) =>
      `| ${r.mode} | ${sec(r.detectionMs)} | ${sec(r.decisionMs)} | ${sec(r.promotedMs)} | ${sec(r.rtoMs)} | ${r.lostCommits} of ${r.ackedBeforeCrash} | ${r.lagSecondsAtDecision ?? '—'} s |`,
  );
  return `## ${H.pg}

${ctx.stamp}

| replication | detected | decided | promotion seen | RTO | commits lost | lag at decision |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Method: a real PostgreSQL streaming pair on loopback (\`test/support/pg-cluster.ts\`), the PostgreSQL
agent on each node and an arbiter agent, the worker under \`wrangler dev\` with \`intervalSeconds: 1\`,
\`thresholdSeconds: 5\`, mode \`auto\`. A writer commits one row at a time through the active
endpoint; then the primary's postmaster gets SIGKILL. Times are from the kill. Detected: the
failover record's \`detectedAt\` (the edge's first failed probe of the primary); decided: \`decidedAt\`
(edge, standby and arbiter agreed for the threshold); promotion seen: \`completedAt\` (the monitor's
next round sees the standby report \`primary\` at the new epoch); RTO: the
first commit acknowledged by the new primary; RPO: commits acknowledged before the kill and missing
after it, with the lag mirrorwatch recorded at decision.
`;
}

export function partitionText(ctx: ReportContext, runs: PartitionRun[]): string {
  const rows = runs.map((r) => {
    const s = r.settings;
    return `| ${s.name} (interval ${s.intervalSeconds} s, timeout ${s.timeoutMs / 1000} s, threshold ${s.thresholdSeconds} s, lease ${r.leaseSeconds} s) | ${sec(r.selfFenceMs)} | ${sec(r.decidedMs)} | ${sec(r.promoteSentMs)} | ${sec(r.marginMs)} | ${sec(r.completedMs)} | ${r.ackedAfterCut} | ${r.ackedAfterPromote} |`;
  });
  return `## ${H.partition}

${ctx.stamp}

| settings | self-fence | decided | promote sent | margin | failover complete | commits acked by the old primary after the cut | … after the promote |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Method: the harness of \`test/e2e/postgres-self-fence.test.ts\`: a real asynchronous PostgreSQL pair on
loopback, the PostgreSQL agent on each node with self-fencing on (lease as configured: half the
threshold, rounded down), an arbiter agent, the worker under \`wrangler dev\`, mode \`auto\`. A
client inside the store commits one row at a time straight to the primary's database (not through
the active endpoint), and keeps doing so. Then the primary is cut off from the edge (its address
and the active IP), from the arbiter and from its standby (replication black-holed, connections left
open), while that client still reaches it, until the standby is promoted. Times are from the cut.
Self-fence: the first commit the old primary refused; decided: the failover record's \`decidedAt\`
(the monitor counts the loss from its last successful probe of the primary, up to one interval
before the cut, so it can come before the threshold has passed since the cut);
promote sent: the event of the promote gate opening (or the decision, when nothing held it);
margin: promote sent minus self-fence; failover complete: \`completedAt\`. The last column must be 0:
the old primary acknowledged nothing once the promote was on its way. Without self-fencing
(\`failover.selfFence: false\`) nothing stops it: it keeps acknowledging that client's commits for
as long as it stays cut off, and they are lost when it is rebuilt as a standby.
`;
}

export function fullHistoryPageBytes(stores: number): { raw: number; gzip: number } {
  const list = Array.from({ length: stores }, (_, i) => ({
    id: `store-${i}`,
    name: `Department store ${i}`,
    region: ['South China', 'East China', 'North China', 'Southwest'][i % 4] ?? null,
    status: 'healthy' as const,
    since: new Date().toISOString(),
    uptime: { '24h': 100, '7d': 99.98, '30d': 99.95, '90d': 99.91 },
    nextMaintenance: null,
  }));
  const history = Object.fromEntries(
    list.map((s) => [
      s.id,
      {
        days: Array.from({ length: 90 }, (_, d) => ({
          date: new Date(Date.UTC(2026, 7, 24 + d)).toISOString().slice(0, 10),
          availability: d % 17 === 0 ? 99.2 : 100,
          downtimeMinutes: d % 17 === 0 ? 11.5 : 0,
          failovers: d % 31 === 0 ? 1 : 0,
        })),
        incidents: [],
        planned: null,
      },
    ]),
  );
  const html = Buffer.from(
    String(renderStatusPage({ status: { generatedAt: new Date().toISOString(), stores: list }, history })),
  );
  return { raw: html.length, gzip: gzipSync(html).length };
}
