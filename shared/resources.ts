/**
 * Resource warnings from the agents' reports: CPU and memory above their threshold for a sustained
 * time, disk above its threshold at once. Pure; the monitor keeps the track between rounds.
 *
 * A warning that is open stays open while the reading stays above the threshold, even if the
 * sustain clock was lost (a monitor restart): the alert is neither forgotten nor re-sent.
 * A node with no fresh reading keeps its track unchanged: no news is not good news.
 */
import type { ResourceThresholds } from './schemas/schedules.ts';

export const RESOURCE_KINDS = ['cpu', 'memory', 'disk'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export interface ResourceReading {
  node: string;
  cpuPercent?: number | undefined;
  memoryPercent?: number | undefined;
  diskPercent?: number | undefined;
}

export interface TrackEntry {
  node: string;
  kind: ResourceKind;
  value: number;
  /** Since when the reading has been above the threshold; null when at or below it. */
  overSince: number | null;
}
/** Keyed "<node>:<kind>". */
export type ResourceTrack = Record<string, TrackEntry>;

export interface ResourceProblem {
  node: string;
  kind: ResourceKind;
  value: number;
  threshold: number;
  since: number;
}

const FIELD: Record<ResourceKind, 'cpuPercent' | 'memoryPercent' | 'diskPercent'> = {
  cpu: 'cpuPercent',
  memory: 'memoryPercent',
  disk: 'diskPercent',
};

export const resourceKey = (node: string, kind: ResourceKind) => `${node}:${kind}`;

export function trackResources(
  track: ResourceTrack,
  readings: ResourceReading[],
  thresholds: ResourceThresholds,
  now: number,
): ResourceTrack {
  const next: ResourceTrack = { ...track };
  for (const reading of readings) {
    for (const kind of RESOURCE_KINDS) {
      const value = reading[FIELD[kind]];
      if (value === undefined) continue;
      const key = resourceKey(reading.node, kind);
      const over = value >= thresholds[FIELD[kind]];
      next[key] = { node: reading.node, kind, value, overSince: over ? (track[key]?.overSince ?? now) : null };
    }
  }
  return next;
}

/** The warnings due now; `open` holds the keys whose alert is already open (see the header). */
export function resourceProblems(
  track: ResourceTrack,
  thresholds: ResourceThresholds,
  now: number,
  open: (key: string) => boolean,
): ResourceProblem[] {
  const problems: ResourceProblem[] = [];
  for (const [key, entry] of Object.entries(track)) {
    if (entry.overSince === null) continue;
    const { node, kind } = entry;
    const sustain = kind === 'disk' ? 0 : thresholds.sustainSeconds * 1000;
    if (now - entry.overSince >= sustain || open(key)) {
      problems.push({ node, kind, value: entry.value, threshold: thresholds[FIELD[kind]], since: entry.overSince });
    }
  }
  return problems.sort((a, b) => (a.node + a.kind).localeCompare(b.node + b.kind));
}

export function describeProblem(p: ResourceProblem): string {
  const what = p.kind === 'cpu' ? 'CPU' : p.kind;
  return `${p.node}: ${what} at ${Math.round(p.value)} % (threshold ${p.threshold} %)`;
}
