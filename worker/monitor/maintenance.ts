/**
 * A store's maintenance windows: the config's, and those an operator opens through the API (kept
 * in the object's storage until they end).
 */
import { z } from 'zod';
import { type ActiveWindow, activeWindow, nextWindow } from '#shared/schedules/maintenance.ts';
import { type StoreWindow, StoreWindow as StoreWindowSchema } from '#shared/schemas/schedules.ts';
import { jsonColumn, readMeta, writeMeta } from '../storage/sql.ts';

const AdHoc = z.array(StoreWindowSchema.extend({ by: z.string() }));
type AdHoc = z.infer<typeof AdHoc>;

export interface MaintenanceView {
  active: ActiveWindow | null;
  next: ActiveWindow | null;
  windows: Array<StoreWindow & { source: 'config' | 'api'; by?: string }>;
}

export class MonitorMaintenance {
  rowsWritten = 0;
  private adHoc: AdHoc;
  /**
   * The window active as of `from`, which holds until it ends or the next window starts: the monitor
   * asks every round, and a recurring window's cron need not be evaluated each time.
   */
  private cache: {
    config: StoreWindow[];
    timeZone: string;
    from: number;
    until: number;
    active: ActiveWindow | null;
  } | null = null;

  constructor(private readonly sql: SqlStorage) {
    const raw = readMeta(this.sql, 'maintenance');
    this.adHoc = raw !== null ? jsonColumn(AdHoc, raw, 'maintenance windows') : [];
  }

  private save(adHoc: AdHoc): void {
    this.adHoc = adHoc;
    this.cache = null;
    this.rowsWritten += writeMeta(this.sql, 'maintenance', JSON.stringify(adHoc));
  }

  private all(config: StoreWindow[]): StoreWindow[] {
    return [...config, ...this.adHoc];
  }

  active(config: StoreWindow[], now: number, timeZone: string): ActiveWindow | null {
    const c = this.cache;
    if (c && c.config === config && c.timeZone === timeZone && now >= c.from && now < c.until) return c.active;
    const all = this.all(config);
    const active = activeWindow(all, now, timeZone);
    const next = nextWindow(all, now, timeZone);
    const until = Math.min(active?.end ?? Number.POSITIVE_INFINITY, next?.start ?? Number.POSITIVE_INFINITY);
    this.cache = { config, timeZone, from: now, until, active };
    return active;
  }

  view(config: StoreWindow[], now: number, timeZone: string): MaintenanceView {
    const all = this.all(config);
    return {
      active: activeWindow(all, now, timeZone),
      next: nextWindow(all, now, timeZone),
      windows: [
        ...config.map((w) => ({ ...w, source: 'config' as const })),
        ...this.adHoc.map((w) => ({ ...w, source: 'api' as const })),
      ],
    };
  }

  /** Opens a one-off window; windows already over are dropped on the way. */
  add(window: { reason: string; start: number; end: number; by: string }, now: number): StoreWindow {
    const id = `api-${window.start.toString(36)}-${this.adHoc.length + 1}`;
    const created = { id, ...window };
    this.save([...this.adHoc.filter((w) => (w.end ?? 0) > now), created]);
    return created;
  }

  /** Ends the operator-opened windows (one by id, or all) at `now`; true when any was open. */
  end(id: string | null, now: number): boolean {
    let ended = false;
    const kept = this.adHoc.flatMap((w) => {
      if ((w.end ?? 0) <= now) return [];
      if (id !== null && w.id !== id) return [w];
      ended = true;
      return (w.start ?? 0) < now ? [{ ...w, end: now }] : [];
    });
    if (ended) this.save(kept);
    return ended;
  }

  reset(): void {
    this.adHoc = [];
    this.cache = null;
  }
}
