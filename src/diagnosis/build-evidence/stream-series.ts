/**
 * A streaming flow's progress folded into fixed time buckets as events arrive, for judging a
 * continuous pipeline on its recent throughput and batch latency (rules/stream-window.ts). Sums,
 * not samples: when a long update fills the buckets, neighbours merge (the width doubles), so rows
 * are never lost and memory stays bounded whatever the update's length.
 *
 * What goes in (event log schema, docs.databricks.com/aws/en/ldp/monitor-event-log-schema):
 * - `flow_progress.metrics.num_output_rows` / `num_upserted_rows`: rows written in the reporting
 *   period (the docs' throughput query sums them per flow; the accumulator sums them the same way);
 * - `stream_progress.progress_json`: a JSON string shaped like Spark's StreamingQueryProgress, whose
 *   `batchDuration` (ms) is one micro-batch's processing time;
 * - the time between a flow's consecutive flow_progress reports with metrics, the batch latency
 *   when the log has no stream_progress events.
 */
import type { StreamSample } from '../evidence.js';

/** buckets start a minute wide; past this many the width doubles */
export const MAX_STREAM_BUCKETS = 480;
const START_WIDTH_MS = 60_000;
/** a gap between reports longer than this is a pause (stopped, restarted), not a batch */
const MAX_INTERVAL_MS = 30 * 60_000;

export interface StreamBucket {
  rows: number;
  reports: number;
  batches: number;
  batchMsSum: number;
  intervals: number;
  intervalMsSum: number;
}

function addInto(into: StreamBucket, b: StreamBucket): void {
  into.rows += b.rows;
  into.reports += b.reports;
  into.batches += b.batches;
  into.batchMsSum += b.batchMsSum;
  into.intervals += b.intervals;
  into.intervalMsSum += b.intervalMsSum;
}

export class StreamSeries {
  private width = START_WIDTH_MS;
  private buckets = new Map<number, StreamBucket>();
  private lastReport: number | null = null;
  /** newest report or batch seen: the series ends there, not at its last bucket's edge */
  private lastT = Number.NEGATIVE_INFINITY;

  private bucketAt(t: number): StreamBucket {
    if (t > this.lastT) this.lastT = t;
    const key = Math.floor(t / this.width);
    let b = this.buckets.get(key);
    if (b === undefined) {
      b = { rows: 0, reports: 0, batches: 0, batchMsSum: 0, intervals: 0, intervalMsSum: 0 };
      this.buckets.set(key, b);
      if (this.buckets.size > MAX_STREAM_BUCKETS) this.merge();
      return this.buckets.get(Math.floor(t / this.width))!;
    }
    return b;
  }

  private merge(): void {
    this.width *= 2;
    const merged = new Map<number, StreamBucket>();
    for (const [key, b] of this.buckets) {
      const k = Math.floor(key / 2);
      const m = merged.get(k);
      if (m === undefined) merged.set(k, { ...b });
      else addInto(m, b);
    }
    this.buckets = merged;
  }

  /**
   * A flow_progress event with metrics: its rows (null when it reports none) and the interval since
   * the previous report. Reports are expected in time order (the event queries sort by timestamp);
   * an out-of-order one adds its rows but no interval.
   */
  report(t: number, rows: number | null): void {
    const b = this.bucketAt(t);
    b.reports++;
    if (rows !== null && Number.isFinite(rows) && rows > 0) b.rows += rows;
    if (this.lastReport !== null && t > this.lastReport && t - this.lastReport <= MAX_INTERVAL_MS) {
      b.intervals++;
      b.intervalMsSum += t - this.lastReport;
    }
    if (this.lastReport === null || t > this.lastReport) this.lastReport = t;
  }

  /** one micro-batch's processing time (stream_progress batchDuration), ms */
  batch(t: number, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const b = this.bucketAt(t);
    b.batches++;
    b.batchMsSum += durationMs;
  }

  /**
   * A bucket summed by the warehouse (update-flow-buckets.sql): `widthMs` wide, starting at
   * `startMs`, `lastMs` its newest report or batch. All buckets of a flow come with one width (the
   * statement picks it); a wider one merges what is held, so the series keeps a single width.
   */
  addBucket(startMs: number, widthMs: number, lastMs: number, sums: StreamBucket): void {
    while (this.width < widthMs) this.merge();
    if (lastMs > this.lastT) this.lastT = lastMs;
    const key = Math.floor(startMs / this.width);
    const b = this.buckets.get(key);
    if (b === undefined) this.buckets.set(key, { ...sums });
    else addInto(b, sums);
    while (this.buckets.size > MAX_STREAM_BUCKETS) this.merge();
  }

  get empty(): boolean {
    return this.buckets.size === 0;
  }

  /**
   * The buckets, oldest first. All are `width` wide except the newest, which ends at the newest
   * report (a running update's last bucket is only partly over: counting it whole would read as a
   * drop in throughput).
   */
  values(): StreamSample[] {
    const spanS = this.width / 1000;
    const sorted = [...this.buckets.entries()].sort((a, b) => a[0] - b[0]);
    return sorted.map(([key, b], i) => ({
        t: key * this.width,
        spanS: i === sorted.length - 1 ? Math.max(1, Math.min(spanS, (this.lastT - key * this.width) / 1000)) : spanS,
        rows: b.rows,
        reports: b.reports,
        batches: b.batches,
        batchMs: b.batches > 0 ? b.batchMsSum / b.batches : null,
        intervals: b.intervals,
        intervalMs: b.intervals > 0 ? b.intervalMsSum / b.intervals : null,
      }));
  }
}
