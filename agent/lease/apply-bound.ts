/**
 * The self-fence must take effect within `SELF_FENCE_APPLY_MS` of its decision (shared/lease/drift.ts:
 * the monitor's promote wait counts on it). `withinBound` runs the ordinary fence and, when it has
 * not finished by the deadline, runs the host's harder stop (for PostgreSQL: an immediate shutdown)
 * instead of waiting longer. The ordinary fence keeps running; its failure is reported, not lost.
 */

export type Bounded<T> = { inTime: true; value: T } | { inTime: false; late: string };

export async function withinBound<T>(
  task: Promise<T>,
  boundMs: number,
  onLate: () => Promise<string>,
): Promise<Bounded<T>> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, boundMs));
  });
  try {
    const first = await Promise.race([task.then((value) => ({ value })), deadline]);
    if (first !== 'late') return { inTime: true, value: first.value };
  } finally {
    if (timer) clearTimeout(timer);
  }
  return { inTime: false, late: await onLate() };
}
