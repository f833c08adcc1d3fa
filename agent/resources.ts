/**
 * The optional `resources` block of a report (docs/PROTOCOL.md section 3): CPU busy share since the last
 * sample (the 1-minute load average per core before there is one), memory in use (total minus what
 * the kernel calls available), and disk use of the filesystem holding `diskPath`, as `df` counts it.
 * A part that cannot be measured is left out; sampling never throws.
 */
import { statfs } from 'node:fs/promises';
import os from 'node:os';
import type { AgentReport } from '#shared/schemas/report.ts';

export type Resources = NonNullable<AgentReport['resources']>;

interface CpuTimes {
  busy: number;
  total: number;
  cores: number;
}

function cpuTimes(): CpuTimes {
  let busy = 0;
  let total = 0;
  const cpus = os.cpus();
  for (const cpu of cpus) {
    const t = cpu.times;
    const all = t.user + t.nice + t.sys + t.idle + t.irq;
    total += all;
    busy += all - t.idle;
  }
  return { busy, total, cores: cpus.length };
}

const percent = (value: number) => Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;

/** Disk use of the filesystem holding `path`, or undefined when it cannot be read. */
export async function diskPercent(path: string): Promise<number | undefined> {
  try {
    const s = await statfs(path);
    const used = s.blocks - s.bfree;
    const usable = used + s.bavail;
    return usable > 0 ? percent((used / usable) * 100) : undefined;
  } catch {
    return undefined;
  }
}

export interface ResourceSampler {
  /** `diskPath`: a directory on the filesystem to report (the data directory); none leaves disk out. */
  sample(diskPath?: string | null): Promise<Resources>;
}

export function createResourceSampler(): ResourceSampler {
  let previous: CpuTimes | null = null;
  return {
    async sample(diskPath) {
      const current = cpuTimes();
      const cores = Math.max(1, current.cores);
      const cpu =
        previous && current.total > previous.total
          ? ((current.busy - previous.busy) / (current.total - previous.total)) * 100
          : ((os.loadavg()[0] ?? 0) / cores) * 100;
      previous = current;
      const total = os.totalmem();
      const out: Resources = { cpuPercent: percent(cpu) };
      if (total > 0) out.memoryPercent = percent((1 - os.freemem() / total) * 100);
      const disk = diskPath ? await diskPercent(diskPath) : undefined;
      if (disk !== undefined) out.diskPercent = disk;
      return out;
    },
  };
}
