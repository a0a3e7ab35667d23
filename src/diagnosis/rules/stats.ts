/**
 * Small numeric helpers shared by the rules (and the fix catalog): central values, trend
 * checks and the strength scale every rule uses. Pure, no Evidence knowledge.
 */

export function clamp(x: number, lo = 0, hi = 1): number {
  return Math.min(hi, Math.max(lo, x));
}

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Median (mean of the two middle values for an even count); null for an empty list. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Share (0..1) of consecutive steps that do not go down; null with fewer than two values. */
export function nonDecreasingShare(xs: readonly number[]): number | null {
  if (xs.length < 2) return null;
  let up = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! >= xs[i - 1]!) up++;
  return up / (xs.length - 1);
}

/**
 * Strength of a finding on the shared 0..1 scale: 0.5 exactly at the threshold, rising linearly
 * to 1 at `full` (where the evidence is as strong as it gets). Works for "lower is worse" too
 * (threshold > full). Values on the healthy side of the threshold give 0.
 */
export function strengthPast(value: number, threshold: number, full: number): number {
  if (full === threshold) return value === threshold ? 0.5 : value > threshold === full > threshold ? 1 : 0;
  const progress = (value - threshold) / (full - threshold);
  if (progress < 0) return 0;
  return Math.round((0.5 + 0.5 * clamp(progress)) * 100) / 100;
}
