import type { Evidence, HistoryEntry } from './evidence.js';
import type { Baseline } from './types.js';

/** How many earlier successful updates make the baseline (newest first). */
export const BASELINE_UPDATES = 10;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Earlier COMPLETED updates of the same kind, newest first: a full refresh reprocesses every source
 * and is compared only with earlier full refreshes; an incremental update never with a full refresh.
 */
export function comparableHistory(evidence: Evidence): HistoryEntry[] {
  const full = evidence.update.fullRefresh;
  return evidence.history.filter(
    (h) => h.state === 'COMPLETED' && h.updateId !== evidence.update.id && Number.isFinite(h.durationS) && h.durationS > 0 && h.fullRefresh === full,
  );
}

/**
 * The pipeline's own baseline: median duration of its last (up to 10) comparable COMPLETED updates
 * before this one, and this update's ratio to it. `null` without at least one such update.
 */
export function computeBaseline(evidence: Evidence): (Baseline & { median_output_rows: number | null }) | null {
  // A continuous update runs until stopped: its duration says how long it was left running, not
  // how fast it was (its streams are judged on backlog and throughput instead).
  if (evidence.pipeline.spec.continuous) return null;
  const prior = comparableHistory(evidence).slice(0, BASELINE_UPDATES);
  if (prior.length === 0) return null;
  const med = median(prior.map((h) => h.durationS));
  const rows = prior.map((h) => h.outputRows).filter((r): r is number => r !== null && Number.isFinite(r));
  const current = evidence.update.durationS;
  return {
    updates: prior.length,
    median_duration_s: Math.round(med * 10) / 10,
    duration_ratio: current !== null && med > 0 ? Math.round((current / med) * 100) / 100 : null,
    median_output_rows: rows.length ? median(rows) : null,
  };
}

/**
 * Running at its usual pace: COMPLETED or not, the duration is within `maxRatio` of a baseline of at
 * least `minUpdates` comparable updates.
 */
export function atUsualPace(evidence: Evidence, maxRatio: number, minUpdates = 5): boolean {
  const b = computeBaseline(evidence);
  return b !== null && b.updates >= minUpdates && b.duration_ratio !== null && b.duration_ratio <= maxRatio;
}
