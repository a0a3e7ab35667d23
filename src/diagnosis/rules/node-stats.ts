/**
 * Summary of `system.compute.node_timeline` rows for the update's RUNNING phase (docs/rules/README.md:
 * "workers" = rows with driver = false inside the update's window for its cluster(s)).
 * CPU = cpu_user_percent + cpu_system_percent. Shared by the cpu, memory, io and network rules.
 *
 * Real clusters warm up (executors start, caches fill, the first micro-batches are small) and
 * fluctuate minute to minute, so rules read the **steady** part of the run — the running phase
 * after a warm-up of 10% of it (2 to 10 minutes) — as a per-minute series, and ask how much of it a
 * signal held (`sustainedShare`) rather than whether a mean or a maximum crossed a line: a spike of
 * a few minutes is not a bottleneck.
 */
import type { Evidence, NodeSample, Phase, UpdateInfo } from '../evidence.js';
import { PHASES } from '../evidence.js';
import { mean, median } from './stats.js';

/** One minute of the steady run: the workers' mean (swap: max) and the driver's values. */
export interface MinuteStat {
  t: number;
  workers: number;
  cpu: number;
  wait: number;
  mem: number;
  /** highest mem_swap_percent of any worker in the minute */
  swap: number;
  /** mean network_sent_bytes + network_received_bytes per worker */
  net: number;
  driverCpu: number | null;
  driverMem: number | null;
  driverSwap: number | null;
}

export interface NodeStats {
  /** the running phase, epoch ms, [start, end) */
  window: { start: number; end: number };
  /** the running phase after warm-up: what the figures below describe */
  steady: { start: number; end: number };
  warmupS: number;
  workers: NodeSample[];
  driver: NodeSample[];
  /** distinct worker instances seen in the steady window */
  workerCount: number;
  /** number of worker rows (one per worker per minute) */
  workerMinutes: number;
  /** per-minute series of the steady window, in time order */
  series: MinuteStat[];
  /** means over the steady window's worker rows; null without worker rows */
  workerCpuMean: number | null;
  /** median of the per-minute CPU: robust to a short spike */
  workerCpuMedian: number | null;
  workerWaitMean: number | null;
  workerMemMean: number | null;
  workerMemMedian: number | null;
  workerSwapMax: number | null;
  /** network_sent_bytes + network_received_bytes per worker row (≈ per worker-minute) */
  workerNetMean: number | null;
  driverCpuMean: number | null;
  driverMemMean: number | null;
  /** worker rows grouped by minute (sample start time), in time order */
  minutes: { t: number; workers: NodeSample[] }[];
}

const MINUTE_MS = 60_000;
const WARMUP = { share: 0.1, minMs: 2 * MINUTE_MS, maxMs: 10 * MINUTE_MS, minRunningMs: 6 * MINUTE_MS } as const;

/** The RUNNING phase as [start, end): phases before it are summed from the update start. */
function runningWindow(update: UpdateInfo): { start: number; end: number } | null {
  const running = update.phasesS.running;
  if (running !== undefined && running > 0) {
    const before = PHASES.slice(0, PHASES.indexOf('running')).reduce((s, p: Phase) => s + (update.phasesS[p] ?? 0), 0);
    const start = update.startedAt + before * 1000;
    return { start, end: start + running * 1000 };
  }
  // No phase timings: fall back to the whole update.
  if (update.endedAt !== null && update.endedAt > update.startedAt) return { start: update.startedAt, end: update.endedAt };
  return null;
}

export function warmupMs(runningMs: number): number {
  if (runningMs < WARMUP.minRunningMs) return 0;
  return Math.min(WARMUP.maxMs, Math.max(WARMUP.minMs, WARMUP.share * runningMs));
}

function cpuOf(s: NodeSample): number {
  return s.cpuUser + s.cpuSystem;
}

/** Node metrics of the running phase, or null when there are none (serverless, no grant, no rows). */
export function nodeStats(evidence: Evidence): NodeStats | null {
  const rows = evidence.nodeMetrics;
  if (rows === null || rows.length === 0) return null;
  const window = runningWindow(evidence.update) ?? {
    start: Math.min(...rows.map((r) => r.t)),
    end: Math.max(...rows.map((r) => r.t)) + MINUTE_MS,
  };
  // Keep the update's own cluster when the rows name it; bundles may hold only the pipeline's clusters anyway.
  const clusterId = evidence.update.clusterId;
  const ofCluster = clusterId !== null && rows.some((r) => r.clusterId === clusterId) ? rows.filter((r) => r.clusterId === clusterId) : rows;
  const inWindow = ofCluster.filter((r) => r.t >= window.start && r.t < window.end);
  if (inWindow.length === 0) return null;
  let warm = warmupMs(window.end - window.start);
  // never let warm-up swallow the rows we have (a bundle may hold only part of the run)
  if (!inWindow.some((r) => r.t >= window.start + warm)) warm = 0;
  const steady = { start: window.start + warm, end: window.end };
  const kept = inWindow.filter((r) => r.t >= steady.start);

  // A single-node pipeline (num_workers 0) runs its tasks on the driver: the driver is its worker.
  const singleNode = !kept.some((r) => !r.driver);
  const workers = singleNode ? kept : kept.filter((r) => !r.driver);
  const driver = kept.filter((r) => r.driver);
  const byMinute = new Map<number, { workers: NodeSample[]; driver: NodeSample[] }>();
  for (const r of kept) {
    const t = Math.floor(r.t / MINUTE_MS) * MINUTE_MS;
    let m = byMinute.get(t);
    if (!m) byMinute.set(t, (m = { workers: [], driver: [] }));
    if (r.driver) m.driver.push(r);
    if (!r.driver || singleNode) m.workers.push(r);
  }
  const ordered = [...byMinute.entries()].sort((a, b) => a[0] - b[0]);
  const series: MinuteStat[] = [];
  for (const [t, m] of ordered) {
    if (m.workers.length === 0) continue;
    series.push({
      t,
      workers: m.workers.length,
      cpu: mean(m.workers.map(cpuOf))!,
      wait: mean(m.workers.map((w) => w.cpuWait))!,
      mem: mean(m.workers.map((w) => w.memUsed))!,
      swap: Math.max(...m.workers.map((w) => w.memSwap)),
      net: mean(m.workers.map((w) => w.netSent + w.netReceived))!,
      driverCpu: mean(m.driver.map(cpuOf)),
      driverMem: mean(m.driver.map((d) => d.memUsed)),
      driverSwap: m.driver.length ? Math.max(...m.driver.map((d) => d.memSwap)) : null,
    });
  }
  return {
    window,
    steady,
    warmupS: warm / 1000,
    workers,
    driver,
    workerCount: new Set(workers.map((w) => w.instanceId)).size,
    workerMinutes: workers.length,
    series,
    workerCpuMean: mean(workers.map(cpuOf)),
    workerCpuMedian: median(series.map((m) => m.cpu)),
    workerWaitMean: mean(workers.map((w) => w.cpuWait)),
    workerMemMean: mean(workers.map((w) => w.memUsed)),
    workerMemMedian: median(series.map((m) => m.mem)),
    workerSwapMax: workers.length === 0 ? null : Math.max(...workers.map((w) => w.memSwap)),
    workerNetMean: mean(workers.map((w) => w.netSent + w.netReceived)),
    driverCpuMean: mean(driver.map(cpuOf)),
    driverMemMean: mean(driver.map((d) => d.memUsed)),
    minutes: ordered.filter(([, m]) => m.workers.length > 0).map(([t, m]) => ({ t, workers: m.workers })),
  };
}

/**
 * Share (0..1) of the steady minutes in which `value` is at least `atLeast` (or at most, with
 * `below`); minutes where `value` is null are not counted. 0 without minutes.
 */
export function sustainedShare(stats: NodeStats, value: (m: MinuteStat) => number | null, atLeast: number, below = false): number {
  let n = 0;
  let hit = 0;
  for (const m of stats.series) {
    const v = value(m);
    if (v === null) continue;
    n++;
    if (below ? v < atLeast : v >= atLeast) hit++;
  }
  return n === 0 ? 0 : hit / n;
}

/** Median over the steady minutes of `value` (nulls skipped). */
export function seriesMedian(stats: NodeStats, value: (m: MinuteStat) => number | null): number | null {
  return median(stats.series.map(value).filter((v): v is number => v !== null));
}
