/**
 * A continuous pipeline is judged on how its streams run now, not on how long its update has been
 * left running: per flow, throughput (rows/s) and micro-batch latency over a recent window against
 * the earlier part of the same update. Shared by stream-slowdown (the finding) and classify (the
 * verdict's wording); not a rule itself.
 *
 * Windows, on the flow's progress buckets (Evidence `FlowInfo.stream`): the observed stream ends at
 * the update's end (or its newest report while it runs); the recent window is the last
 * `recentMinutes`, or a third of what was observed after the warm-up when the update is younger,
 * never less than `minRecentMinutes`; the earlier window is up to `earlierMinutes` before it, after
 * a warm-up (a stream's first minutes catch up on what queued while it started). Both windows are
 * cut into `slices` for "sustained".
 */
import type { BacklogSample, Evidence, FlowInfo, StreamSample } from '../evidence.js';

export interface WindowOptions {
  recentMinutes: number;
  minRecentMinutes: number;
  earlierMinutes: number;
  warmupMinutes: number;
  slices: number;
}

export interface WindowStats {
  from: number;
  to: number;
  minutes: number;
  rows: number;
  rowsPerS: number;
  /** mean micro-batch latency, ms, and how many batches it is over */
  latencyMs: number | null;
  batches: number;
  /** per slice, oldest first */
  sliceRowsPerS: number[];
  sliceLatencyMs: (number | null)[];
}

/**
 * The flow's backlog over the recent window: `none` (no backlog metrics), `empty` (all zero: it
 * keeps up), `draining` (falling), `holding` (not falling), `growing`.
 */
export type BacklogTrend = 'none' | 'empty' | 'draining' | 'holding' | 'growing';

export interface FlowWindows {
  flow: string;
  recent: WindowStats;
  earlier: WindowStats;
  /** where the latency comes from: stream_progress batchDuration, or the time between reports */
  latencySource: 'stream_progress' | 'report interval' | null;
  /** the backlog over the recent window */
  backlog: BacklogTrend;
  /** the backlog over the earlier window: `draining` there means its throughput was a catch-up */
  earlierBacklog: BacklogTrend;
}

const MIN_MS = 60_000;

function overlapShare(s: StreamSample, from: number, to: number): number {
  const a = s.t;
  const b = s.t + s.spanS * 1000;
  const o = Math.min(b, to) - Math.max(a, from);
  return o <= 0 ? 0 : o / (b - a);
}

function statsOf(series: StreamSample[], from: number, to: number, slices: number, useBatches: boolean): WindowStats {
  const sliceMs = (to - from) / slices;
  const slice = (i: number) => {
    const a = from + i * sliceMs;
    const b = a + sliceMs;
    let rows = 0;
    let n = 0;
    let ms = 0;
    for (const s of series) {
      const share = overlapShare(s, a, b);
      if (share === 0) continue;
      rows += s.rows * share;
      const count = useBatches ? s.batches : s.intervals;
      const mean = useBatches ? s.batchMs : s.intervalMs;
      if (count > 0 && mean !== null) {
        n += count * share;
        ms += mean * count * share;
      }
    }
    return { rows, n, ms };
  };
  const parts = Array.from({ length: slices }, (_, i) => slice(i));
  const rows = parts.reduce((x, p) => x + p.rows, 0);
  const n = parts.reduce((x, p) => x + p.n, 0);
  const ms = parts.reduce((x, p) => x + p.ms, 0);
  const seconds = (to - from) / 1000;
  return {
    from,
    to,
    minutes: (to - from) / MIN_MS,
    rows,
    rowsPerS: seconds > 0 ? rows / seconds : 0,
    latencyMs: n >= 0.5 ? ms / n : null,
    batches: Math.round(n),
    sliceRowsPerS: parts.map((p) => p.rows / (sliceMs / 1000)),
    sliceLatencyMs: parts.map((p) => (p.n >= 0.5 ? p.ms / p.n : null)),
  };
}

const BACKLOG_METRICS = ['bytes', 'records', 'files', 'seconds'] as const;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * How a backlog moved over [from, to]: the median of its first third of points against the median
 * of its last third (one noisy point decides nothing), on the first backlog metric the flow reports.
 */
function backlogTrend(series: BacklogSample[], from: number, to: number): BacklogTrend {
  const points = series.filter((b) => b.t >= from && b.t <= to).sort((a, b) => a.t - b.t);
  for (const m of BACKLOG_METRICS) {
    const values = points.map((p) => p[m]).filter((v): v is number => v !== null && Number.isFinite(v));
    if (values.length < 3) continue;
    if (values.every((v) => v <= 0)) return 'empty';
    const third = Math.max(1, Math.floor(values.length / 3));
    const first = median(values.slice(0, third));
    const last = median(values.slice(-third));
    if (last <= 0) return 'empty';
    if (last < first * 0.8) return 'draining';
    if (last >= first * 1.1) return 'growing';
    return 'holding';
  }
  return 'none';
}

/** When the observed streams end: the update's end, else the newest progress bucket's end. */
export function streamEnd(evidence: Evidence): number | null {
  let end = -Infinity;
  for (const f of evidence.flows) {
    const last = f.stream[f.stream.length - 1];
    if (last) end = Math.max(end, last.t + last.spanS * 1000);
  }
  if (!Number.isFinite(end)) return null;
  return evidence.update.endedAt !== null ? Math.min(end, evidence.update.endedAt) : end;
}

function windowsOf(flow: FlowInfo, end: number, o: WindowOptions): FlowWindows | null {
  const series = flow.stream;
  const first = series[0];
  if (first === undefined) return null;
  const start = first.t + o.warmupMinutes * MIN_MS;
  const observedMin = (end - start) / MIN_MS;
  const recentMin = Math.min(o.recentMinutes, observedMin / 3);
  if (recentMin < o.minRecentMinutes) return null;
  const recentFrom = end - recentMin * MIN_MS;
  const earlierFrom = Math.max(start, recentFrom - o.earlierMinutes * MIN_MS);
  // Latency from stream_progress when both windows have batches, else from report intervals.
  const hasBatches = (a: number, b: number) => series.some((s) => s.batches > 0 && overlapShare(s, a, b) > 0);
  const useBatches = hasBatches(recentFrom, end) && hasBatches(earlierFrom, recentFrom);
  const recent = statsOf(series, recentFrom, end, o.slices, useBatches);
  const earlier = statsOf(series, earlierFrom, recentFrom, o.slices, useBatches);
  const latencySource = recent.latencyMs !== null && earlier.latencyMs !== null ? (useBatches ? 'stream_progress' : 'report interval') : null;
  return {
    flow: flow.name,
    recent,
    earlier,
    latencySource,
    backlog: backlogTrend(flow.backlog, recentFrom, end),
    earlierBacklog: backlogTrend(flow.backlog, earlierFrom, recentFrom),
  };
}

/** Per streaming flow of a continuous pipeline, its recent and earlier windows; [] when not continuous or too young. */
export function streamWindows(evidence: Evidence, o: WindowOptions): FlowWindows[] {
  if (!evidence.pipeline.spec.continuous) return [];
  const end = streamEnd(evidence);
  if (end === null) return [];
  return evidence.flows.map((f) => windowsOf(f, end, o)).filter((w): w is FlowWindows => w !== null);
}
