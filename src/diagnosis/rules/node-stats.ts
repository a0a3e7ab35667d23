/**
 * Summary of `system.compute.node_timeline` rows for the update's RUNNING phase (docs/rules/README.md:
 * "workers" = rows with driver = false inside the update's window for its cluster(s)).
 * CPU = cpu_user_percent + cpu_system_percent. Shared by the cpu, memory, io and network rules.
 */
import type { Evidence, NodeSample, Phase, UpdateInfo } from '../evidence.js';
import { PHASES } from '../evidence.js';
import { mean } from './stats.js';

export interface NodeStats {
  /** epoch ms, [start, end) */
  window: { start: number; end: number };
  workers: NodeSample[];
  driver: NodeSample[];
  /** distinct worker instances seen in the window */
  workerCount: number;
  /** number of worker rows (one per worker per minute) */
  workerMinutes: number;
  /** means over worker rows; null without worker rows */
  workerCpuMean: number | null;
  workerWaitMean: number | null;
  workerMemMean: number | null;
  workerSwapMax: number | null;
  /** network_sent_bytes + network_received_bytes per worker row (≈ per worker-minute) */
  workerNetMean: number | null;
  driverCpuMean: number | null;
  driverMemMean: number | null;
  /** worker rows grouped by minute (sample start time), in time order */
  minutes: { t: number; workers: NodeSample[] }[];
}

const MINUTE_MS = 60_000;

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

  const workers = inWindow.filter((r) => !r.driver);
  const driver = inWindow.filter((r) => r.driver);
  const byMinute = new Map<number, NodeSample[]>();
  for (const w of workers) {
    const t = Math.floor(w.t / MINUTE_MS) * MINUTE_MS;
    const list = byMinute.get(t);
    if (list) list.push(w);
    else byMinute.set(t, [w]);
  }
  return {
    window,
    workers,
    driver,
    workerCount: new Set(workers.map((w) => w.instanceId)).size,
    workerMinutes: workers.length,
    workerCpuMean: mean(workers.map(cpuOf)),
    workerWaitMean: mean(workers.map((w) => w.cpuWait)),
    workerMemMean: mean(workers.map((w) => w.memUsed)),
    workerSwapMax: workers.length === 0 ? null : Math.max(...workers.map((w) => w.memSwap)),
    workerNetMean: mean(workers.map((w) => w.netSent + w.netReceived)),
    driverCpuMean: mean(driver.map(cpuOf)),
    driverMemMean: mean(driver.map((d) => d.memUsed)),
    minutes: [...byMinute.entries()].sort((a, b) => a[0] - b[0]).map(([t, ws]) => ({ t, workers: ws })),
  };
}
