/**
 * CPU time and memory of the processes under test, read from /proc (Linux only): the two workerd
 * processes `wrangler dev` starts (the runtime that runs the worker and its Durable Objects, and
 * the proxy in front of it that owns the port), found as descendants of the wrangler process.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcSample {
  /** utime + stime, in ms. */
  cpuMs: number;
  /** Resident set now and its high-water mark, in KiB. */
  rssKiB: number;
  hwmKiB: number;
}

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Fields of /proc/<pid>/stat after the command name (which may contain spaces). */
function statFields(pid: number): string[] {
  const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return raw.slice(raw.lastIndexOf(')') + 2).split(' ');
}

export function sample(pid: number): ProcSample {
  const f = statFields(pid);
  // After the name: state(3) ppid(4) … utime(14) stime(15), so index = field number - 3.
  const ticks = Number(f[11]) + Number(f[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM') };
}

function children(): Map<number, number[]> {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(statFields(Number(entry))[1]);
      byParent.set(ppid, [...(byParent.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  return byParent;
}

export interface WorkerdPids {
  /** The workerd that runs the worker, its Durable Objects and their alarms. */
  runtime: number;
  /** The workerd that owns the dev port and forwards each request to the runtime. */
  proxy: number | null;
}

/** The workerd processes under a `wrangler dev` process (its pid, as spawned). */
export function workerdUnder(rootPid: number): WorkerdPids {
  const byParent = children();
  const found: Array<{ pid: number; cmdline: string }> = [];
  const walk = (pid: number) => {
    for (const child of byParent.get(pid) ?? []) {
      try {
        const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ');
        if (/\/workerd\s/.test(cmdline)) found.push({ pid: child, cmdline });
      } catch {
        // gone meanwhile
      }
      walk(child);
    }
  };
  walk(rootPid);
  // The runtime is the one wrangler attaches its inspector to; the proxy listens on the dev port.
  const runtime = found.find((p) => p.cmdline.includes('--inspector-addr'));
  if (!runtime) throw new Error(`no workerd runtime under process ${rootPid} (found ${found.length} workerd)`);
  return { runtime: runtime.pid, proxy: found.find((p) => p !== runtime)?.pid ?? null };
}

/** Sends SIGTERM to the process group of each child of this process (the `wrangler dev`s it spawned). */
export function stopChildGroups(): void {
  for (const pid of children().get(process.pid) ?? []) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // not a group leader, or gone
    }
  }
}

/** CPU time this Node process (the simulator, the load generator, the benchmark) used, in ms. */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** All CPUs' busy and total time from /proc/stat, in ticks: other work on the machine shows here. */
export function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}
