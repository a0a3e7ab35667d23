/**
 * `size <pipeline>`: the guide's §3.2 formula joined with what the update measured. Pure.
 *
 * The formula sizes from a daily volume alone; the update says how hard the workers it had were
 * working. The advice reads the engine's own view of the evidence — the diagnosis verdict and
 * findings (diagnose.ts), the steady per-minute node series (rules/node-stats.ts), the
 * cluster_resources facts (rules/pipeline-facts.ts) and the right-sizing of the fix catalog
 * (fixes/capacity.ts) — and says where and why it departs from the formula:
 *
 * - serverless: no worker sizing at all (Databricks sizes the compute);
 * - the driver is the problem: say the driver, keep the workers;
 * - saturated (CPU median ≥ 85% sustained, or every slot busy with tasks queued): never fewer
 *   workers than ran; Databricks' optimal_num_executors when it asked for more, else the workers
 *   scaled by CPU / 70% (§1.2), with the formula's count as a floor;
 * - idle (the over-provisioned finding: CPU < 50% that neither I/O wait nor shuffle explains,
 *   §12.2): the catalog's right-sizing and its §12.2 savings; idle CPU that something else explains
 *   is not cut;
 * - memory-bound workers: memory-optimized nodes (§3.1), never general-purpose or compute-optimized.
 *
 * Worker counts far above the current cluster or the usual size of a cluster are flagged
 * (`sizeFlags`), and an advice is never shown above 10× the current max_workers.
 */
import type { Bottleneck, ClusterSpec, Evidence } from './evidence.js';
import { parseNodeType } from './fixes/compute.js';
import { suggestReduction } from './fixes/capacity.js';
import { nodeStats, sustainedShare, type NodeStats } from './rules/node-stats.js';
import { peakOptimalExecutors, slotsSaturatedShare, updatesCluster } from './rules/pipeline-facts.js';
import type { ClusterSize } from './sizing.js';
import { UTILIZATION_TARGET } from './sizing.js';
import { IO_WAIT_PERCENT, RIGHT_SIZE_CPU_BELOW, SHUFFLE_BYTES_PER_WORKER_MINUTE } from './right-size.js';
import type { Diagnosis, Finding, Recommendation } from './types.js';
import { plural } from '../util/plural.js';

/** Thresholds the advice reads, each from the guide or the rule it mirrors. */
export const SIZE_ADVICE = {
  /** cpu-saturation: median ≥ 85% in ≥ 60% of the steady minutes (§1.2: 85% is the top of the band) */
  hotCpu: 85,
  minHotShare: 0.6,
  /** executor-cpu-bound / autoscale-ceiling: every slot busy with tasks queued in ≥ 50% of samples */
  minSlotsSaturatedShare: 0.5,
  /** §12.2: right-size only when cpu_avg < 50 */
  rightSizeCpu: RIGHT_SIZE_CPU_BELOW,
  /** io-wait and over-provisioned: mean cpu_wait at or above this explains idle CPU */
  ioWaitPercent: IO_WAIT_PERCENT,
  /** shuffle-heavy and over-provisioned: bytes per worker-minute at or above this explain idle CPU */
  networkBytesPerWorkerMinute: SHUFFLE_BYTES_PER_WORKER_MINUTE,
  /** memory-pressure: median worker memory at or above this */
  memoryBoundMem: 85,
} as const;

/** Worker counts we flag: not Databricks limits (none is documented per cluster), our own guard. */
export const SIZE_LIMITS = {
  /** flag an answer above this multiple of the current max_workers */
  aboveCurrentFactor: 4,
  /** never show an advice above this multiple of the current max_workers */
  displayCapFactor: 10,
  /** flag any answer above this many workers, with or without a pipeline */
  largeClusterWorkers: 100,
} as const;

/** Databricks docs behind the serverless answer and the limit flags (see docs/sizing.md). */
export const SIZE_DOCS = {
  serverless: 'https://docs.databricks.com/aws/en/delta-live-tables/serverless-dlt',
  performanceModes: 'https://docs.databricks.com/aws/en/compute/serverless/',
} as const;

export type WorkerBasis =
  /** the cluster ran saturated: workers × CPU / 70% (or the formula, when larger) */
  | 'saturated'
  /** the cluster ran saturated and Databricks' autoscaler asked for more executors than max_workers */
  | 'optimal_num_executors'
  /** over-provisioned (§12.2): the fix catalog's right-sizing */
  | 'right-size'
  /** the measured load fits, or fewer workers would not help: keep what the cluster has */
  | 'current'
  /** no node metrics: the formula alone */
  | 'formula';

export interface WorkerAdvice {
  /** the setting to change: `num_workers` on a fixed-size cluster, `autoscale` bounds otherwise */
  key: 'num_workers' | 'autoscale';
  recommended: number;
  /** autoscale bounds; null on a fixed-size cluster */
  min: number | null;
  max: number | null;
  basis: WorkerBasis;
  /** true when `recommended` is not the formula's recommended_workers */
  departsFromFormula: boolean;
  /** shown above 10× the current max_workers: this is the count before the cap */
  uncapped: number | null;
  reason: string;
}

export type NodeFamily = 'memory-optimized' | 'compute-optimized' | 'storage-optimized' | 'general-purpose' | 'other';

export interface NodeAdvice {
  /** a node type to use (the current one when it stays); null when none can be named (unknown cloud) */
  nodeType: string | null;
  family: NodeFamily | null;
  /** true when it differs from the node type the update ran on */
  change: boolean;
  /** true when it differs from the formula's instance_recommendation (§3.1) */
  departsFromFormula: boolean;
  guideSection: string;
  reason: string;
}

export interface SizeMeasured {
  /** distinct workers in the steady window (or the peak executors from cluster_resources) */
  workers: number | null;
  /** the update cluster as configured */
  configured: { minWorkers: number | null; maxWorkers: number | null; fixed: boolean } | null;
  cpuMedian: number | null;
  cpuMean: number | null;
  /** share 0..1 of the steady minutes at or above 85% CPU */
  hotShare: number | null;
  memMedian: number | null;
  waitMean: number | null;
  /** share 0..1 of cluster_resources samples with every slot busy and tasks queued */
  slotsSaturatedShare: number | null;
  optimalExecutors: number | null;
}

export interface SizeAdvice {
  compute: 'classic' | 'serverless';
  verdict: { bottleneck: Bottleneck; summary: string };
  measured: SizeMeasured | null;
  /** null on serverless: there is no worker count to set */
  workers: WorkerAdvice | null;
  node: NodeAdvice | null;
  /** the driver is the problem: what to change instead of the workers */
  driver: { nodeType: string | null; reason: string } | null;
  /** §12.2 estimate when the advice cuts workers */
  savings: { percent: number; dollars: number | null; periodDays: number | null } | null;
  /** why there is no worker sizing, and what the user can choose instead (serverless only) */
  serverless: { reason: string; options: string[]; docs: string[] } | null;
  notes: string[];
}

export interface SizeFlag {
  /** which count the flag is about: the formula's or the advice's */
  subject: 'formula' | 'advice';
  kind: 'above-current-max' | 'large-cluster' | 'capped';
  workers: number;
  limit: number;
  message: string;
}

const r1 = (x: number): number => Math.round(x * 10) / 10;
const round = (x: number | null | undefined, digits: number): number | null => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const pct = (share: number): number => Math.round(share * 100);

/** The family words of §3.1 for a node type name; null when the name is not one we can read. */
function familyOf(nodeType: string | null): NodeFamily | null {
  if (!nodeType) return null;
  const f = parseNodeType(nodeType)?.family;
  switch (f) {
    case 'memory':
      return 'memory-optimized';
    case 'compute':
      return 'compute-optimized';
    case 'storage':
      return 'storage-optimized';
    case 'general':
      return 'general-purpose';
    case 'other':
      return 'other';
    default:
      return null;
  }
}

/** The worker node type the update ran on: the spec's, else what node_timeline recorded. */
function currentWorkerNode(evidence: Evidence, cluster: ClusterSpec | null): string | null {
  return cluster?.nodeTypeId ?? evidence.nodeMetrics?.find((s) => !s.driver && s.nodeType)?.nodeType ?? null;
}

function measure(evidence: Evidence, cluster: ClusterSpec | null, stats: NodeStats | null): SizeMeasured {
  const peakExecutors = Math.max(0, ...evidence.clusterResources.map((s) => s.numExecutors ?? 0));
  const workers = stats && stats.workerCount > 0 ? stats.workerCount : peakExecutors > 0 ? peakExecutors : null;
  return {
    workers,
    configured: cluster
      ? {
          minWorkers: cluster.autoscale?.minWorkers ?? cluster.numWorkers,
          maxWorkers: cluster.autoscale?.maxWorkers ?? cluster.numWorkers,
          fixed: cluster.autoscale === null,
        }
      : null,
    cpuMedian: round(stats?.workerCpuMedian, 1),
    cpuMean: round(stats?.workerCpuMean, 1),
    hotShare: stats && stats.series.length > 0 ? round(sustainedShare(stats, (m) => m.cpu, SIZE_ADVICE.hotCpu), 2) : null,
    memMedian: round(stats?.workerMemMedian, 1),
    waitMean: round(stats?.workerWaitMean, 1),
    slotsSaturatedShare: round(slotsSaturatedShare(evidence), 2),
    optimalExecutors: peakOptimalExecutors(evidence),
  };
}

/** Findings of the verdict's category (the ones that name the bottleneck). */
function verdictFindings(d: Diagnosis): Finding[] {
  return d.findings.filter((f) => f.category === d.verdict.bottleneck && f.severity !== 'info');
}

function rec(d: Diagnosis, id: string): Recommendation | null {
  return d.recommendations.find((r) => r.id === id) ?? null;
}

interface Ctx {
  evidence: Evidence;
  diagnosis: Diagnosis;
  formula: ClusterSize;
  gb: number;
  cluster: ClusterSpec;
  stats: NodeStats | null;
  m: SizeMeasured;
}

/** "the formula's 2 (5.07 GB/day)" */
function formulaWords(c: Ctx): string {
  return `the formula's ${c.formula.recommended_workers} (§3.2, ${Math.round(c.gb * 100) / 100} GB/day)`;
}

/** The bounds to show for `recommended` workers on this cluster, keeping what need not change. */
function bounds(c: Ctx, recommended: number, o: { raiseMaxTo?: number; lowerMaxTo?: number } = {}): Pick<WorkerAdvice, 'key' | 'min' | 'max'> {
  const a = c.cluster.autoscale;
  if (a === null) return { key: 'num_workers', min: null, max: null };
  let max = a.maxWorkers;
  if (o.raiseMaxTo !== undefined) max = Math.max(max, o.raiseMaxTo);
  if (o.lowerMaxTo !== undefined) max = o.lowerMaxTo;
  return { key: 'autoscale', min: Math.min(a.minWorkers, max), max };
}

function workersAdvice(c: Ctx, notes: string[]): { workers: WorkerAdvice; savings: SizeAdvice['savings'] } {
  const { diagnosis: d, formula, m, cluster } = c;
  const ran = m.workers ?? cluster.numWorkers ?? cluster.autoscale?.maxWorkers ?? formula.recommended_workers;
  const configuredMax = cluster.autoscale?.maxWorkers ?? cluster.numWorkers ?? ran;
  const keep = (reason: string): WorkerAdvice => {
    const recommended = cluster.numWorkers ?? ran;
    return { ...bounds(c, recommended), recommended, basis: 'current', departsFromFormula: recommended !== formula.recommended_workers, uncapped: null, reason };
  };
  const departNote = (recommended: number, why: string): string =>
    recommended === formula.recommended_workers ? '' : ` ${cap(formulaWords(c))} ${why}.`;

  // The update failed for a reason no compute change fixes: its load says nothing about size.
  const failedOff = d.findings.find((f) => f.rulesOut?.includes('compute'));
  if (failedOff) {
    return {
      workers: keep(`The update failed for a reason no cluster change fixes (${failedOff.title}); its load does not describe a normal run, so keep the current workers and size again after a successful update.`),
      savings: null,
    };
  }

  // The driver is the problem: no worker change.
  const driverFinding = verdictFindings(d).find((f) => f.rulesOut?.includes('workers'));
  if (driverFinding) {
    return {
      workers: keep(`The driver is the bottleneck (${driverFinding.rule}), not the workers: changing the worker count does not fix it. Keep the workers until the driver fix has run, then size again.`),
      savings: null,
    };
  }

  if (c.stats === null || m.cpuMedian === null) {
    if (m.slotsSaturatedShare === null) {
      const w: WorkerAdvice = {
        key: cluster.autoscale ? 'autoscale' : 'num_workers',
        recommended: formula.recommended_workers,
        min: cluster.autoscale ? formula.min_workers : null,
        max: cluster.autoscale ? formula.max_workers : null,
        basis: 'formula',
        departsFromFormula: false,
        uncapped: null,
        reason: 'No node metrics (system.compute.node_timeline) or cluster_resources for this update: the formula alone, unchecked against the load.',
      };
      return { workers: w, savings: null };
    }
  }

  const cpu = m.cpuMedian;
  const cpuSaturated = cpu !== null && cpu >= SIZE_ADVICE.hotCpu && (m.hotShare ?? 0) >= SIZE_ADVICE.minHotShare;
  const slotsSaturated = (m.slotsSaturatedShare ?? 0) >= SIZE_ADVICE.minSlotsSaturatedShare;
  const memoryBound = d.verdict.bottleneck === 'memory';

  if (cpuSaturated || slotsSaturated) {
    const facts: string[] = [];
    if (cpu !== null) facts.push(`${plural(ran, 'worker')} ran at a median ${Math.round(cpu)}% CPU${cpuSaturated ? ` (at or above ${SIZE_ADVICE.hotCpu}% in ${pct(m.hotShare ?? 0)}% of the steady minutes)` : ''}`);
    else facts.push(`${plural(ran, 'worker')} ran`);
    if (m.slotsSaturatedShare !== null && m.slotsSaturatedShare > 0) facts.push(`every task slot was busy with tasks queued in ${pct(m.slotsSaturatedShare)}% of the samples`);
    const busy = cpuSaturated ? 'the cluster was saturated' : 'the task slots were full';
    const saturated = `${cap(facts.join(' and '))}: ${busy}, so no fewer than ${ran}.`;
    const optimal = m.optimalExecutors;
    let need: number;
    let basis: WorkerBasis;
    let why: string;
    if (optimal !== null && optimal > ran && optimal > configuredMax) {
      need = Math.ceil(optimal);
      basis = 'optimal_num_executors';
      why = `Databricks' autoscaler reported optimal_num_executors ${need} while max_workers held the cluster at ${configuredMax}.`;
    } else if (cpuSaturated && !memoryBound) {
      need = Math.max(ran + 1, Math.ceil((ran * cpu!) / UTILIZATION_TARGET.low));
      basis = 'saturated';
      why = `${need} workers at that load would run near ${UTILIZATION_TARGET.low}% (§1.2: ${UTILIZATION_TARGET.low}–${UTILIZATION_TARGET.high}% is the target).`;
    } else {
      need = ran;
      basis = 'current';
      why =
        memoryBound
          ? 'The workers are memory-bound: bigger nodes (below), not more of them, are the first fix.'
          : configuredMax > ran
            ? `The cluster never used its max_workers ${configuredMax}, so a higher ceiling would not add slots; see why-slow for what held it back.`
            : 'More workers would give the queued tasks slots; CPU alone does not say how many.';
    }
    let recommended = Math.max(need, ran);
    let departs = '';
    if (formula.recommended_workers > recommended && basis !== 'current') {
      recommended = formula.recommended_workers;
      departs = ` ${cap(formulaWords(c))} is larger, and it is the floor.`;
    } else if (formula.recommended_workers < recommended) {
      departs = ` ${cap(formulaWords(c))} would be fewer workers than the ${cpuSaturated ? 'saturated' : 'busy'} cluster had; the measured load asks for more, so the formula is only a floor here.`;
    }
    if (rec(d, 'enable-photon')) notes.push('why-slow also recommends turning on Photon, which changes the load per worker: size again after it.');
    const w: WorkerAdvice = {
      ...bounds(c, recommended, { raiseMaxTo: recommended }),
      recommended,
      basis,
      departsFromFormula: recommended !== formula.recommended_workers,
      uncapped: null,
      reason: `${saturated} ${why}${departs}`,
    };
    return { workers: w, savings: null };
  }

  // Idle CPU: cut only when the engine found the cluster over-provisioned (nothing else explains it).
  const over = d.findings.find((f) => f.rule === 'over-provisioned');
  if (over) {
    const params = over.fixes.find((f) => f.id === 'reduce-max-workers')?.params ?? {};
    const cut = suggestReduction(c.evidence, cluster, params);
    if (cut !== null) {
      const w: WorkerAdvice = {
        ...bounds(c, cut.value, { lowerMaxTo: cut.value }),
        recommended: cut.value,
        basis: 'right-size',
        departsFromFormula: cut.value !== formula.recommended_workers,
        uncapped: null,
        reason:
          `Workers averaged ${Math.round(cut.cpuAvg)}% CPU, under §12.2's ${SIZE_ADVICE.rightSizeCpu}% right-sizing threshold, with task slots mostly free and neither I/O wait nor shuffle to explain it: ` +
          `${cut.value} workers at that load would run near ${UTILIZATION_TARGET.low}% (from ${cut.from}).` +
          departNote(cut.value, cut.value > formula.recommended_workers ? 'is fewer than the measured load needs' : 'is more than the measured load needs'),
      };
      if (d.findings.some((f) => f.rule === 'data-skew')) notes.push('One worker did most of the work (data skew): after the skew fix the load spreads out, so size again before cutting further.');
      // the one right-size saving (right-size.ts): the figure why-slow, `cost` and the digest quote
      return { workers: w, savings: { percent: cut.savings.percent, dollars: cut.savings.dollars, periodDays: cut.savings.dollars !== null ? cut.savings.periodDays : null } };
    }
  }

  const cpuMean = m.cpuMean ?? cpu;
  if (cpuMean !== null && cpuMean < SIZE_ADVICE.rightSizeCpu) {
    // Idle, but something explains it: fewer workers would not make the update cheaper or faster.
    const because: string[] = [];
    if ((m.waitMean ?? 0) >= SIZE_ADVICE.ioWaitPercent) because.push(`they waited on I/O (cpu_wait ${Math.round(m.waitMean!)}%)`);
    if ((c.stats?.workerNetMean ?? 0) >= SIZE_ADVICE.networkBytesPerWorkerMinute) because.push(`they shuffled ${r1(c.stats!.workerNetMean! / 1024 ** 3)} GB per worker-minute over the network`);
    if (memoryBound) because.push('memory, not CPU, was the bottleneck');
    if ((m.slotsSaturatedShare ?? 0) > 0) because.push(`tasks still queued for slots in ${pct(m.slotsSaturatedShare!)}% of the samples`);
    const reason =
      because.length > 0
        ? `Workers averaged ${Math.round(cpuMean)}% CPU, but ${because.join(', and ')}: fewer workers would not fix that. Fix it first (see why-slow), then size again.`
        : `Workers averaged ${Math.round(cpuMean)}% CPU, under §12.2's ${SIZE_ADVICE.rightSizeCpu}%, but the run was too short or the task slots too busy for the over-provisioned check to call it idle: keep the current workers.`;
    return { workers: keep(reason + departNote(cluster.numWorkers ?? ran, 'is not what the measured load asks for')), savings: null };
  }

  if (cpu === null) {
    return { workers: keep('No node metrics for this update, and the task slots were not saturated: keep the current workers.'), savings: null };
  }
  const band =
    cpu >= UTILIZATION_TARGET.low
      ? `inside the ${UTILIZATION_TARGET.low}–${UTILIZATION_TARGET.high}% band (§1.2)`
      : `under the ${UTILIZATION_TARGET.low}–${UTILIZATION_TARGET.high}% band (§1.2) but above §12.2's ${SIZE_ADVICE.rightSizeCpu}% right-sizing threshold`;
  const current = cluster.numWorkers ?? ran;
  return {
    workers: keep(
      `${cap(plural(ran, 'worker'))} ran at a median ${Math.round(cpu)}% CPU, ${band}: the current size fits the measured load.` +
        departNote(current, 'is a volume estimate; the measured load is the better guide'),
    ),
    savings: null,
  };
}

function cap(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

const NODE_FIX: Partial<Record<Bottleneck, { id: string; family: NodeFamily; why: string }[]>> = {
  cpu: [{ id: 'compute-optimized-instances', family: 'compute-optimized', why: 'The workers are CPU-bound; §3.1 recommends compute-optimized nodes (c5.4xlarge / Standard_F16s_v2) for CPU-intensive transformations.' }],
  memory: [{ id: 'memory-optimized-instances', family: 'memory-optimized', why: 'The workers are memory-bound; §3.1 recommends memory-optimized nodes (r5.4xlarge / Standard_E16s_v5) for large joins.' }],
  io: [{ id: 'storage-optimized-instances', family: 'storage-optimized', why: 'The workers wait on I/O; §3.1 recommends storage-optimized nodes with local SSD (i3.2xlarge / Standard_L8s_v2).' }],
  network: [{ id: 'storage-optimized-instances', family: 'storage-optimized', why: 'Large shuffles spill to disk; §3.1 recommends fast local disk for spill (i3.4xlarge / Standard_L16s_v2).' }],
};

function nodeAdvice(c: Ctx, driverProblem: boolean): NodeAdvice {
  const { diagnosis: d, formula } = c;
  const current = currentWorkerNode(c.evidence, c.cluster);
  const inFormula = (t: string | null) => t !== null && formula.instance_recommendation.includes(t);
  const keep = (reason: string): NodeAdvice => ({
    nodeType: current,
    family: familyOf(current),
    change: false,
    departsFromFormula: current !== null && !inFormula(current),
    guideSection: '3.1',
    reason: current !== null && !inFormula(current) ? `${reason} (The formula's ${formula.instance_recommendation.split(' (')[0]} follows from ${formula.memory_per_worker_gb} GB per worker alone.)` : reason,
  });
  if (driverProblem) return keep('The workers are not the problem: keep their node type.');
  const memoryWorkers = d.verdict.bottleneck === 'memory';
  for (const fix of NODE_FIX[d.verdict.bottleneck] ?? []) {
    const r = rec(d, fix.id);
    if (r) {
      const nodeType = r.change?.value ?? null;
      return { nodeType, family: fix.family, change: nodeType !== current, departsFromFormula: !inFormula(nodeType), guideSection: r.guide_section, reason: fix.why };
    }
  }
  if (memoryWorkers) {
    // never a general-purpose or compute-optimized node for memory-bound workers
    if (familyOf(current) === 'memory-optimized') return keep(`The workers are memory-bound and ${current} is already memory-optimized (§3.1).`);
    return {
      nodeType: null,
      family: 'memory-optimized',
      change: true,
      departsFromFormula: !formula.instance_recommendation.includes('memory'),
      guideSection: '3.1',
      reason: `The workers are memory-bound; §3.1 recommends memory-optimized nodes (r5.4xlarge / Standard_E16s_v5)${current ? ` instead of ${current}` : ''}.`,
    };
  }
  return keep('No finding asks for another node type.');
}

const SERVERLESS: NonNullable<SizeAdvice['serverless']> = {
  reason:
    'Serverless pipeline: Databricks manages the compute, so there are no workers, node types or autoscale bounds to size (its settings take no compute settings in a clusters object).',
  options: [
    'Performance mode: performance-optimized (the default: warm compute, starts in under a minute and scales up faster) or standard (starts in 4–6 minutes, uses fewer DBUs), chosen per job or pipeline schedule.',
    'Speed comes from the work itself: the fixes in why-slow that change code, tables or settings still apply.',
  ],
  docs: [SIZE_DOCS.serverless, SIZE_DOCS.performanceModes],
};

/**
 * The advice for one update: `formula` is calculate_cluster_size for `gb`; `diagnosis` is
 * diagnose(evidence). Never throws on missing data: what is not measured is null.
 */
export function sizeAdvice(evidence: Evidence, diagnosis: Diagnosis, formula: ClusterSize, gb: number): SizeAdvice {
  const verdict = { bottleneck: diagnosis.verdict.bottleneck, summary: diagnosis.verdict.summary };
  if (evidence.pipeline.spec.serverless) {
    return { compute: 'serverless', verdict, measured: null, workers: null, node: null, driver: null, savings: null, serverless: SERVERLESS, notes: [] };
  }
  const cluster = updatesCluster(evidence.pipeline.spec);
  const stats = nodeStats(evidence);
  const m = measure(evidence, cluster, stats);
  const notes: string[] = [];
  if (cluster === null) {
    notes.push('The pipeline spec has no update cluster (label "default" or "updates"): there are no current settings to compare.');
    return { compute: 'classic', verdict, measured: m, workers: null, node: null, driver: null, savings: null, serverless: null, notes };
  }
  const c: Ctx = { evidence, diagnosis, formula, gb, cluster, stats, m };
  const driverFinding = verdictFindings(diagnosis).find((f) => f.rulesOut?.includes('workers'));
  const { workers, savings } = workersAdvice(c, notes);
  const capped = capWorkers(workers, m.configured?.maxWorkers ?? null);
  let driver: SizeAdvice['driver'] = null;
  if (driverFinding) {
    const r = rec(diagnosis, 'larger-driver');
    driver = {
      nodeType: r?.change?.value ?? null,
      reason: `${driverFinding.title}. ${r ? `why-slow: ${r.title.toLowerCase()}${r.change ? ` (driver_node_type_id = ${r.change.value})` : ''}` : 'Give the driver more memory'}, and stop collecting large results to the driver (§8.2).`,
    };
  }
  return { compute: 'classic', verdict, measured: m, workers: capped, node: nodeAdvice(c, driverFinding !== undefined), driver, savings, serverless: null, notes };
}

/** An advice is never shown above 10× the current max_workers; `uncapped` keeps the count. */
function capWorkers(w: WorkerAdvice, currentMax: number | null): WorkerAdvice {
  if (currentMax === null || currentMax <= 0) return w;
  const limit = currentMax * SIZE_LIMITS.displayCapFactor;
  if (w.recommended <= limit) return w;
  return { ...w, recommended: limit, max: w.max === null ? null : Math.min(w.max, limit), uncapped: w.recommended };
}

/**
 * Flags for worker counts far past the current cluster or the usual size of a cluster. Databricks
 * documents no per-cluster worker limit we could confirm; the limits that bite are the cluster
 * policy (it can cap num_workers, autoscale.max_workers and DBUs per hour) and the cloud's quotas.
 */
export function sizeFlags(formula: ClusterSize, advice: SizeAdvice | null, currentMax: number | null): SizeFlag[] {
  const flags: SizeFlag[] = [];
  const check = (subject: SizeFlag['subject'], workers: number, what: string) => {
    if (currentMax !== null && currentMax > 0 && workers > currentMax * SIZE_LIMITS.aboveCurrentFactor) {
      flags.push({
        subject,
        kind: 'above-current-max',
        workers,
        limit: currentMax * SIZE_LIMITS.aboveCurrentFactor,
        message: `${what} asks for ${workers.toLocaleString('en-US')} workers, more than ${SIZE_LIMITS.aboveCurrentFactor}× the current max_workers (${currentMax}): beyond the workspace's usual limits — check your cluster policy and cloud quota before going that far.`,
      });
    }
    if (workers > SIZE_LIMITS.largeClusterWorkers) {
      flags.push({
        subject,
        kind: 'large-cluster',
        workers,
        limit: SIZE_LIMITS.largeClusterWorkers,
        message: `${what} asks for ${workers.toLocaleString('en-US')} workers, far above the usual size of a cluster (more than ${SIZE_LIMITS.largeClusterWorkers}): check your cluster policy (it can cap num_workers and autoscale.max_workers) and your cloud's instance quota before sizing for it.`,
      });
    }
  };
  // with serverless there is no worker count to flag at all
  if (advice?.compute !== 'serverless') check('formula', formula.recommended_workers, 'The formula');
  const w = advice?.workers ?? null;
  if (w) {
    if (w.uncapped !== null) {
      flags.push({
        subject: 'advice',
        kind: 'capped',
        workers: w.uncapped,
        limit: w.recommended,
        message: `The advice would be ${w.uncapped.toLocaleString('en-US')} workers; shown capped at ${w.recommended} (${SIZE_LIMITS.displayCapFactor}× the current max_workers). Check your cluster policy before sizing beyond it.`,
      });
    } else if (w.basis !== 'formula' && w.basis !== 'current') check('advice', Math.max(w.recommended, w.max ?? 0), 'The advice');
  }
  return flags;
}
