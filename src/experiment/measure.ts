/**
 * One iteration measured (guide §10.1 `get_pipeline_metrics`), from the same collector and SQL a
 * diagnosis uses: duration from the update's update_progress events (create → terminal), records
 * processed from its flow_progress `num_output_rows` + `num_upserted_rows`, DBUs and list-price
 * dollars from system.billing.usage rows carrying its `dlt_update_id` (update-cost.sql).
 *
 * Billing lags: Databricks writes usage rows hours after the compute ran. Until they are there,
 * `dollars` is estimated as duration × the source pipeline's recent dollars per second × the
 * variant's DBU-rate ratio (more workers, Photon's higher DBU rate: guide §12.1), and marked so.
 */
import type { Evidence } from '../diagnosis/evidence.js';
import type { IterationResult } from './types.js';

/** the update's evidence is complete: its terminal update_progress has been read */
export const measured = (e: Evidence) => ['COMPLETED', 'FAILED', 'CANCELED'].includes(e.update.state) && e.update.durationS !== null;

export interface CostRate {
  /** dollars per second of update, from the source pipeline's recent update; null: unknown */
  dollarsPerSecond: number | null;
  /** the variant's DBU rate relative to the source's (1: the same settings) */
  rateRatio: number;
}

export function iterationFrom(e: Evidence, iteration: number, rate: CostRate): IterationResult {
  const duration = e.update.durationS ?? 0;
  const records = e.update.outputRows ?? 0;
  const billedDbus = e.cost?.updateDbus ?? null;
  const billedDollars = e.cost?.updateDollars ?? null;
  const billed = billedDbus !== null && billedDbus > 0;
  const estimate = rate.dollarsPerSecond === null ? null : round(duration * rate.dollarsPerSecond * rate.rateRatio, 4);
  return {
    iteration,
    update_id: e.update.id,
    state: e.update.state,
    duration_seconds: round(duration, 1),
    records_processed: records,
    throughput_records_per_sec: duration > 0 ? round(records / duration, 2) : 0,
    cluster_dbus: billed ? round(billedDbus, 4) : null,
    dollars: billed ? (billedDollars === null ? null : round(billedDollars, 4)) : estimate,
    dollars_estimated: !billed && estimate !== null,
  };
}

/**
 * The DBU rate of `next` relative to `base`, for the estimate: (workers + driver) and ×2 with
 * Photon, the multiplier the demo and Databricks' DLT price list apply (guide §12.1 "Photon enabled:
 * higher DBU rate"). Serverless specs are priced per use: 1.
 */
export function dbuRateRatio(base: Record<string, unknown>, next: Record<string, unknown>): number {
  if (base.serverless === true || next.serverless === true) return 1;
  const nodes = (s: Record<string, unknown>) => {
    const clusters = Array.isArray(s.clusters) ? (s.clusters as Record<string, unknown>[]) : [];
    const c = clusters.find((x) => x.label === undefined || x.label === 'default' || x.label === 'updates') ?? clusters[0];
    const auto = c && typeof c.autoscale === 'object' && c.autoscale ? (c.autoscale as Record<string, unknown>) : null;
    const workers = typeof auto?.max_workers === 'number' ? auto.max_workers : typeof c?.num_workers === 'number' ? c.num_workers : 1;
    return workers + 1;
  };
  const photon = (s: Record<string, unknown>) => (s.photon === true ? PHOTON_RATE : 1);
  return round((nodes(next) / nodes(base)) * (photon(next) / photon(base)), 4);
}

export const PHOTON_RATE = 2;

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
