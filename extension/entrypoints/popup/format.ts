/** Small display helpers shared by the popup's components. */

export function lagText(lag: number | null | undefined): string {
  if (lag === null || lag === undefined) return 'unknown';
  return lag < 10 ? `${Math.round(lag * 10) / 10} s` : `${Math.round(lag)} s`;
}

export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}
