/**
 * The noise model of the demo (docs/demo-workspace.md "Noise"): warm-up curves, per-minute fluctuation as
 * a small AR(1) walk, multiplicative jitter, and the spread of update durations. Every draw comes from the
 * pipeline's own Rng, so the output stays deterministic.
 */
import type { Rng } from './rng.js';
import { clamp } from './units.js';

/** 0 → 1 over `spanMs` after `from`, fast at first and flattening (1 − (1 − x)²); 0 before `from`. */
export function warmup(t: number, from: number, spanMs: number): number {
  if (t < from) return 0;
  const x = clamp((t - from) / Math.max(1, spanMs), 0, 1);
  return 1 - (1 - x) * (1 - x);
}

/**
 * A mean-reverting walk: x ← 0.55·x + U(−a, a)·0.9. Its values stay within about ±1.3·a and move a few
 * points per minute, like real node metrics (not white noise, not a constant).
 */
export class Walk {
  private x = 0;
  constructor(
    private readonly rng: Rng,
    private readonly amplitude: number,
  ) {
    this.x = rng.range(-amplitude, amplitude) * 0.6;
  }
  next(): number {
    this.x = 0.55 * this.x + this.rng.range(-this.amplitude, this.amplitude) * 0.9;
    return this.x;
  }
}

/** v × a log-normal-ish factor (e^U(−s, s)), for quantities that are never negative (bytes, tasks). */
export function spread(rng: Rng, v: number, s: number): number {
  return v * Math.exp(rng.range(-s, s));
}

/**
 * Duration factor of an update relative to the pipeline's usual duration: the newest update ±6%, the other
 * recent ones ±10%, older ones ±17% with an occasional outlier (about one in twelve runs 1.35–1.65× or
 * 0.7–0.8× as long: a late source, a retried flow, a holiday).
 */
export function durationSpread(rng: Rng, index: number, recent: number): number {
  if (index === 0) return rng.jitter(1, 0.06);
  if (index < recent) return rng.jitter(1, 0.1);
  const base = rng.jitter(1, 0.17);
  const roll = rng.next();
  if (roll < 0.06) return base * rng.range(1.35, 1.65);
  if (roll < 0.085) return base * rng.range(0.7, 0.8);
  return base;
}
