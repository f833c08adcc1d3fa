/**
 * Probe rounds as the stores see them, black-box: the simulated fleet notes when each store's
 * endpoints are asked for a report. A monitor probes all of a store's endpoints at once at the
 * start of a round, so the requests of one round arrive within milliseconds of each other; the
 * first arrival after a quiet gap is the start of a round.
 *
 * The monitor schedules round n+1 at (start of round n) + interval, so
 *   lateness(n+1) = start(n+1) − start(n) − interval,
 * give or take the difference of the two rounds' loopback delays (sub-millisecond when the
 * simulator keeps up). Lateness does not accumulate: each round is due one interval after the
 * previous one actually started.
 */
import { FleetSim, type FleetSimOptions } from '#sim/fleet-sim.ts';
import type { SimStore, StoreSpec } from '#sim/model.ts';

export class RoundClock extends FleetSim {
  /** Round starts per store, in performance.now() milliseconds. */
  readonly starts = new Map<string, number[]>();
  /** Arrivals closer than this to a round's first one belong to that round. */
  gapMs = 400;

  constructor(specs: readonly StoreSpec[], options: FleetSimOptions = {}) {
    super(specs, options);
  }

  /** Every probe of a store's node, arbiter or active endpoint looks its store up here first. */
  override requireStore(storeId: string): SimStore {
    const at = performance.now();
    let list = this.starts.get(storeId);
    if (!list) {
      list = [];
      this.starts.set(storeId, list);
    }
    const last = list.at(-1);
    if (last === undefined || at - last > this.gapMs) list.push(at);
    return super.requireStore(storeId);
  }

  /** How many rounds each of `ids` has started so far. */
  rounds(ids: readonly string[]): number[] {
    return ids.map((id) => this.starts.get(id)?.length ?? 0);
  }

  /**
   * Rounds that started in [from, to) for `ids`: their count and, for each with a previous round,
   * its lateness against the schedule in ms.
   */
  window(ids: readonly string[], from: number, to: number, intervalMs: number) {
    let count = 0;
    const lateness: number[] = [];
    for (const id of ids) {
      const list = this.starts.get(id) ?? [];
      for (let i = 0; i < list.length; i++) {
        const at = list[i] ?? 0;
        if (at < from || at >= to) continue;
        count += 1;
        const prev = list[i - 1];
        if (prev !== undefined) lateness.push(at - prev - intervalMs);
      }
    }
    return { count, lateness };
  }
}
