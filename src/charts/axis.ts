/** Axis helpers every chart shares: round maxima, powers of ten, short durations and dollars. */

/** A round axis maximum ≥ `max` (1, 2, 2.5, 3, 4 or 5 × 10^n) so the gridlines fall on readable values. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 3, 4, 5, 10].find((m) => m * p >= max) ?? 10) * p;
}

/** "45s", "15m", "1.5h": the short form an axis or a bar label has room for. */
export function shortDuration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}

/** "$0.25", "$12", "$340", "$1.2k", "$15k". */
export function shortDollars(v: number): string {
  if (v >= 10_000) return `$${Math.round(v / 1000)}k`;
  if (v >= 1000) return `$${(v / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (v >= 100) return `$${Math.round(v)}`;
  if (v >= 10) return `$${v.toFixed(0)}`;
  return `$${v.toFixed(2).replace(/\.00$/, '')}`;
}

/** The powers of ten from just below `min` to just above `max` (both > 0): a log axis's gridlines. */
export function decades(min: number, max: number): number[] {
  const lo = Math.floor(Math.log10(min));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max)));
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(10 ** e);
  return out;
}
