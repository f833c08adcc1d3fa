/**
 * `npm run bench`: measured figures, written to BENCHMARKS.md with the machine and the method.
 * Not part of `npm test`: tests count things, benchmarks time them.
 *
 *   npm run bench                      every section, several runs each (about 10 minutes)
 *   npm run bench -- --quick           a fast check (under 2 minutes): one short run each (PostgreSQL:
 *                                      the asynchronous pair only), detection and PostgreSQL
 *                                      alongside the scale run and the extension
 *   npm run bench -- --only scale,pg   some sections; the others keep their text in BENCHMARKS.md
 *
 * Sections: scale (rounds, lateness, CPU, memory; cost; read path: one stack), detection (fault to
 * stream, crash to promote), pg (PostgreSQL), partition (PostgreSQL primary cut off: self-fence
 * before promote), extension (badge, bundle sizes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startLiveWorker } from '#harness/live-worker.ts';
import { startSimStack } from '#harness/sim-stack.ts';
import { costText } from './cost-text.ts';
import { bundleSizes, measureBadgeLatency } from './extension-latency.ts';
import { benchSpecs, type Detection, measureDetection, type Scenario } from './failover-time.ts';
import { measurePgFailover, type PgRun } from './pg-failover.ts';
import { measurePgPartition, type PartitionRun } from './pg-partition.ts';
import { stopChildGroups } from './procstat.ts';
import { measureReadPath, type ReadPath } from './read-path.ts';
import {
  detectionText,
  extensionText,
  HEADINGS,
  partitionText,
  pgText,
  type ReportContext,
  readText,
  scaleText,
  sec,
  splitSections,
} from './report-text.ts';
import { measureScale, type ScaleResult } from './scale.ts';
import { quantile, spread } from './stats.ts';

const SECTIONS = ['scale', 'detection', 'pg', 'partition', 'extension'] as const;
type Section = (typeof SECTIONS)[number];

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const quick = values.quick;
const only = new Set((values.only ?? SECTIONS.join(',')).split(',').map((s) => s.trim()));
for (const s of only) {
  if (!(SECTIONS as readonly string[]).includes(s))
    throw new Error(`--only: unknown section "${s}" (${SECTIONS.join(', ')})`);
}
const runs = (s: Section) => only.has(s);
// Local Durable Object storage is one SQLite file per object, committed with fsync: on this VM's
// disk that, not the code, caps a 1,000-store fleet near 35 rounds a second. Benchmarks keep the
// local state on tmpfs (production storage is Cloudflare's own); set MIRRORWATCH_STATE_DIR to override.
if (!process.env.MIRRORWATCH_STATE_DIR && existsSync('/dev/shm')) process.env.MIRRORWATCH_STATE_DIR = '/dev/shm';

const started = Date.now();
const log = (line: string) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);

const plan = {
  sizes: [10, 100, 1000],
  scaleRuns: quick ? 1 : 3,
  windowSeconds: quick ? 5 : 20,
  warmRounds: quick ? 2 : 4,
  readSeconds: quick ? 3 : 10,
  readIntervals: quick ? [5] : [5, 300],
  perScenario: quick ? 2 : 6,
  standbyCrash: !quick,
  badgeRuns: quick ? 2 : 5,
};

// ---- the measurements ---------------------------------------------------------------------------

async function scaleSection(onStarted?: () => void): Promise<{ scale: ScaleResult; reads: ReadPath[] }> {
  const reads: ReadPath[] = [];
  const scale = await measureScale({
    onStarted,
    sizes: plan.sizes,
    runs: plan.scaleRuns,
    windowSeconds: plan.windowSeconds,
    warmRounds: plan.warmRounds,
    log,
    afterLargest: async (stack, specs) => {
      for (const intervalSeconds of plan.readIntervals) {
        reads.push(
          await measureReadPath(stack, specs, { seconds: plan.readSeconds, concurrency: 8, intervalSeconds, log }),
        );
      }
    },
  });
  return { scale, reads };
}

async function detectionSection(): Promise<Detection[]> {
  const scenarios: Scenario[] = [
    {
      name: 'defaults (interval 5 s, threshold 30 s)',
      intervalSeconds: 5,
      thresholdSeconds: 30,
      specs: benchSpecs('dflt', plan.perScenario),
    },
    {
      name: 'fast (interval 1 s, threshold 5 s)',
      intervalSeconds: 1,
      thresholdSeconds: 5,
      specs: benchSpecs('fast', plan.perScenario),
    },
  ];
  const first = scenarios[0];
  if (!first) return [];
  const stack = await startSimStack(
    scenarios.flatMap((s) => s.specs),
    { intervalSeconds: 5 },
    {},
  );
  try {
    const out: Detection[] = [];
    for (const scenario of scenarios) {
      log(`detection: ${scenario.name}, ${scenario.specs.length} stores…`);
      const d = await measureDetection(
        scenario,
        {
          base: stack.base,
          simUrl: stack.simUrl,
          control: stack.control,
          adminToken: stack.secrets.ADMIN_TOKEN,
          viewerToken: stack.secrets.VIEWER_TOKEN,
        },
        { standbyCrash: plan.standbyCrash, log },
      );
      const st = spread(d.crashToPromote.map((t) => t.crashToPromoteMs));
      const fs = spread(d.faultToStream.map((t) => t.ms));
      log(
        `detection:   fault to stream p50 ${sec(
          quantile(
            d.faultToStream.map((t) => t.ms),
            0.5,
          ),
        )}, p95 ${sec(fs.p95)}; crash to promote median ${sec(st.median)}`,
      );
      out.push(d);
    }
    return out;
  } finally {
    await stack.close();
  }
}

async function pgSection(): Promise<PgRun[]> {
  log(`PostgreSQL: kill -9 of the primary, ${quick ? 'asynchronous' : 'synchronous then asynchronous'}…`);
  const live = await startLiveWorker();
  const pgRuns: PgRun[] = [];
  try {
    if (!quick) pgRuns.push(await measurePgFailover(live, true, 'bench-pg-sync'));
    pgRuns.push(await measurePgFailover(live, false, 'bench-pg-async'));
  } finally {
    live.stop();
  }
  for (const r of pgRuns)
    log(`PostgreSQL:   ${r.mode}: RTO ${sec(r.rtoMs)}, lost ${r.lostCommits} of ${r.ackedBeforeCrash}`);
  return pgRuns;
}

/** Default settings and the fast 1 s / 5 s ones of the kill -9 run, one partition each, one worker. */
async function partitionSection(): Promise<PartitionRun[]> {
  log('partition: a PostgreSQL primary cut off from the edge, its standby and the arbiter…');
  const live = await startLiveWorker();
  const out: PartitionRun[] = [];
  try {
    for (const settings of [
      { name: 'defaults', intervalSeconds: 5, timeoutMs: 2000, thresholdSeconds: 30 },
      { name: '1 s / 5 s', intervalSeconds: 1, timeoutMs: 1000, thresholdSeconds: 5 },
    ]) {
      const r = await measurePgPartition(live, settings, `bench-cut-${out.length}`);
      log(
        `partition:   ${settings.name}: self-fence ${sec(r.selfFenceMs)}, promote ${sec(r.promoteSentMs)}, margin ${sec(r.marginMs)}, acked after promote ${r.ackedAfterPromote}`,
      );
      out.push(r);
    }
  } finally {
    live.stop();
  }
  return out;
}

async function extensionSection() {
  log('extension: status change pushed to badge changed…');
  const badgeMs = await measureBadgeLatency(plan.badgeRuns);
  const sizes = bundleSizes();
  log(
    `extension:   median ${quantile(badgeMs, 0.5)} ms; popup ${sizes.popup} B, background ${sizes.background} B gzipped`,
  );
  return { badgeMs, sizes };
}

// ---- run: in full mode one after another; in quick mode the light ones beside the scale run -----

type Results = {
  scale?: Awaited<ReturnType<typeof scaleSection>>;
  detection?: Detection[];
  pg?: PgRun[];
  partition?: PartitionRun[];
  extension?: Awaited<ReturnType<typeof extensionSection>>;
};
const results: Results = {};
// Whatever happens, the worker processes this run started (each \`wrangler dev\` leads its own
// process group, as spawned by scripts/demo/stack.ts) must not outlive it.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopChildGroups();
    process.exit(130);
  });
}
async function runAll(): Promise<void> {
  if (!quick) {
    if (runs('scale')) results.scale = await scaleSection();
    if (runs('detection')) results.detection = await detectionSection();
    if (runs('pg')) results.pg = await pgSection();
    if (runs('partition')) results.partition = await partitionSection();
    if (runs('extension')) results.extension = await extensionSection();
    return;
  }
  // Two \`wrangler dev\` starting in the same instant can pick the same internal port: the second
  // starts once the first answers.
  let scaleUp = () => {};
  const up = new Promise<void>((resolve) => {
    scaleUp = resolve;
  });
  await Promise.all([
    (async () => {
      try {
        if (runs('scale')) results.scale = await scaleSection(scaleUp);
      } finally {
        scaleUp();
      }
      if (runs('extension')) results.extension = await extensionSection();
    })(),
    (async () => {
      if (runs('scale')) await up;
      if (runs('detection')) results.detection = await detectionSection();
      if (runs('pg')) results.pg = await pgSection();
      if (runs('partition')) results.partition = await partitionSection();
    })(),
  ]);
}
try {
  await runAll();
} catch (err) {
  // A failed section must not leave the other's worker running.
  stopChildGroups();
  throw err;
}

// ---- BENCHMARKS.md: sections run now are rewritten, the others keep their text ------------------

const previous = existsSync('BENCHMARKS.md') ? splitSections(readFileSync('BENCHMARKS.md', 'utf8')) : new Map();
const sections = new Map<string, string>();
const keep = (heading: string) => previous.get(heading) ?? `## ${heading}\n\nNot measured yet.\n`;
const H = HEADINGS;
const date = new Date().toISOString().slice(0, 10);
const alongside = runs('scale') && (runs('detection') || runs('pg'));
const stamp = quick
  ? `Measured ${date} by \`npm run bench -- --quick\`: one short run${alongside ? ', with detection and PostgreSQL running alongside the scale run' : ''}, so indicative only.`
  : `Measured ${date} by \`npm run bench\`.`;

const report: ReportContext = { stamp, standbyCrash: plan.standbyCrash };
if (results.scale) {
  sections.set(H.scale, scaleText(report, results.scale.scale));
  sections.set(H.cost, costText(report, results.scale.scale));
  sections.set(H.read, readText(report, results.scale.reads, results.scale.scale));
}
if (results.detection) sections.set(H.detection, detectionText(report, results.detection));
if (results.extension) sections.set(H.extension, extensionText(report, results.extension));
if (results.pg) sections.set(H.pg, pgText(report, results.pg));
if (results.partition) sections.set(H.partition, partitionText(report, results.partition));

const cpu = cpus();
const body = [H.scale, H.cost, H.detection, H.read, H.extension, H.pg, H.partition]
  .map((h) => sections.get(h) ?? keep(h))
  .join('\n');
writeFileSync(
  'BENCHMARKS.md',
  `# Benchmarks

Written by \`npm run bench\` (\`-- --quick\` for a fast check, \`-- --only <sections>\` to rerun some).
Figures are wall-clock and CPU times on one machine: every section says when and how it was
measured; rerun the command to reproduce them.

## Machine

- ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB memory
- Node ${process.version}, ${process.platform}/${process.arch}; the worker under \`wrangler dev\` (local workerd), its
  Durable Object state on tmpfs (\`MIRRORWATCH_STATE_DIR\`, default \`/dev/shm\`): local storage commits
  each object's SQLite file with fsync, which on this VM's disk, not the code, caps 1,000 stores near
  35 rounds a second. The simulated fleet (\`sim\`) and the load run in the benchmark's own
  Node process on the same machine.

${body}`,
);
log(`BENCHMARKS.md written (${[...sections.keys()].length} sections measured)`);
