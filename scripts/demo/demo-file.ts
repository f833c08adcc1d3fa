/**
 * `.dev.sim.json`: where the running demo's simulator listens, its control token, and where each
 * store stands (primary and epoch), kept current while the demo runs so that a restarted demo
 * starts its simulator where the worker's monitors left off. Git-ignored, private to the user.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

const Baseline = z.object({ epoch: z.number().int().min(0), primary: z.string() });

export const DemoFile = Object.assign(
  z.object({
    url: z.string(),
    controlToken: z.string(),
    stores: z.record(z.string(), Baseline).optional(),
  }),
  { path: '.dev.sim.json' },
);
export type DemoFile = z.infer<typeof DemoFile>;

/** The baselines a previous run left, or none (no file, an older or unreadable one). */
export function savedBaselines(path = DemoFile.path): NonNullable<DemoFile['stores']> {
  if (!existsSync(path)) return {};
  try {
    return DemoFile.parse(JSON.parse(readFileSync(path, 'utf8'))).stores ?? {};
  } catch {
    return {};
  }
}

export function writeDemoFile(demo: DemoFile, path = DemoFile.path): void {
  writeFileSync(path, `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
}
