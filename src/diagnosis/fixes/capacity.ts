/**
 * Fixes for the planning, startup and scaling rules: cluster bounds and autoscaling mode
 * (guide §3.2, §3.3, §12.2), pipeline layout (§2.1), materialized-view incrementalization and
 * start-up (Databricks docs); streaming batch sizes are in streaming.ts. `build` returns null when the
 * change is already in place or cannot apply (serverless has no cluster to edit).
 */
import type { ClusterSpec, Evidence } from '../evidence.js';
import { nodeStats } from '../rules/node-stats.js';
import { peakOptimalExecutors, updatesCluster } from '../rules/pipeline-facts.js';
import { reducedWorkers, savingsQuote, type NotSpareReason, type SavingsQuote } from '../right-size.js';
import { calculateClusterSize, UTILIZATION_TARGET } from '../sizing.js';
import type { FixDefinition, FixProposal } from '../types.js';
import { plural } from '../../util/plural.js';
import { formatDuration } from '../format.js';

type Params = Record<string, string | number | boolean>;

const DOCS = {
  initialization: 'https://docs.databricks.com/aws/en/ldp/',
  pools: 'https://docs.databricks.com/aws/en/compute/pool-index',
  incremental: 'https://docs.databricks.com/aws/en/optimizations/incremental-refresh',
  autoscaling: 'https://docs.databricks.com/aws/en/ldp/auto-scaling',
  initScripts: 'https://docs.databricks.com/aws/en/init-scripts/',
  serverless: 'https://docs.databricks.com/aws/en/ldp/serverless',
} as const;

function num(params: Params, key: string): number | null {
  const v = params[key];
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

function str(params: Params, key: string): string | null {
  const v = params[key];
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function forFlow(params: Params): string {
  const flow = str(params, 'flow');
  return flow ? ` for ${flow}` : '';
}

/** Seconds the update waited for resources: the finding's figure, else the update's phase. */
function waitedS(evidence: Evidence, params: Params): number | null {
  return num(params, 'waitS') ?? evidence.update.phasesS.waiting_for_resources ?? null;
}

/** ` 900 s` when the wait is known. */
function seconds(s: number | null): string {
  return s !== null ? ` ${formatDuration(s)}` : '';
}

/** A source-table property incremental refresh needs, for a view planning fully recomputed. */
function sourceTableProposal(params: Params, o: { feature: string; key: string; reason: string; risk: string }): FixProposal {
  const table = str(params, 'table');
  return {
    title: table ? `Enable ${o.feature} on ${table}` : undefined,
    why: `Planning chose a complete recompute${forFlow(params)} because ${o.reason} (${DOCS.incremental}).`,
    change: { target: 'table_property', key: o.key, value: 'true' },
    expected_effect: `The next refreshes${forFlow(params)} process only changed rows instead of recomputing the whole view.`,
    risk: o.risk,
    impact: 0.6,
  };
}

/** Changing autoscale settings restarts a continuous pipeline (Databricks autoscaling docs). */
function restartNote(evidence: Evidence): string {
  return evidence.pipeline.spec.continuous ? ' The continuous pipeline restarts to apply it, with a short latency spike.' : '';
}

/** Decimal GB the update wrote (sum of the flows' output bytes); the best volume figure §3.2 can take. */
function writtenGb(evidence: Evidence): number {
  return evidence.flows.reduce((s, f) => s + f.outputBytes, 0) / 1e9;
}

export interface MaxWorkersSuggestion {
  value: number;
  basis: 'requested' | 'optimal_num_executors' | 'guide 3.2';
}

/**
 * New max_workers for a cluster at its ceiling: an explicit `suggested`, else Databricks' own
 * optimal_num_executors (params.optimal or the peak in the event log), else guide §3.2's
 * calculate_cluster_size(data_volume_gb, complexity).max_workers. Null unless it raises the ceiling.
 */
export function suggestMaxWorkers(evidence: Evidence, cluster: ClusterSpec, params: Params): MaxWorkersSuggestion | null {
  if (cluster.autoscale === null) return null;
  const current = cluster.autoscale.maxWorkers;
  let s: MaxWorkersSuggestion | null = null;
  const requested = num(params, 'suggested');
  const optimal = num(params, 'optimal') ?? peakOptimalExecutors(evidence);
  if (requested !== null) s = { value: Math.ceil(requested), basis: 'requested' };
  else if (optimal !== null && optimal > current) s = { value: Math.ceil(optimal), basis: 'optimal_num_executors' };
  else {
    const gb = num(params, 'dataGb') ?? writtenGb(evidence);
    if (gb > 0) s = { value: calculateClusterSize(gb, num(params, 'complexity') ?? 1).max_workers, basis: 'guide 3.2' };
  }
  if (s === null || s.value <= current) return null;
  // never min > max: a raise keeps max ≥ the existing min
  return { ...s, value: Math.max(s.value, cluster.autoscale.minWorkers) };
}

export interface ReduceSuggestion {
  key: 'autoscale.max_workers' | 'num_workers';
  from: number;
  value: number;
  cpuAvg: number;
  savingsPercent: number;
  /** the one right-size saving (right-size.ts): the week's figures `cost` and the digest show, when read */
  savings: SavingsQuote;
}

/**
 * Right-size (§12.2, only when cpu_avg < 50): the workers actually used (peak executors) scaled so
 * the mean CPU would land at the bottom of the 70–85% band (§1.2), never below min_workers (or 1).
 */
export function suggestReduction(evidence: Evidence, cluster: ClusterSpec, params: Params): ReduceSuggestion | null {
  const cpuAvg = num(params, 'cpuAvg') ?? nodeStats(evidence)?.workerCpuMean ?? null;
  if (cpuAvg === null || cpuAvg >= 50 || cpuAvg < 0) return null;
  const current = cluster.autoscale?.maxWorkers ?? cluster.numWorkers;
  if (current === null || current <= 0) return null;
  const observed = evidence.clusterResources.map((s) => s.numExecutors ?? 0);
  const peak = num(params, 'peakExecutors') ?? (observed.length > 0 ? Math.max(...observed) : 0);
  const used = peak > 0 ? Math.min(peak, current) : current;
  const floor = Math.max(1, cluster.autoscale?.minWorkers ?? 1);
  const value = reducedWorkers(used, cpuAvg, floor);
  if (value >= current) return null;
  const savings = savingsQuote(evidence.cost, cpuAvg);
  return {
    key: cluster.autoscale ? 'autoscale.max_workers' : 'num_workers',
    from: current,
    value,
    cpuAvg,
    savingsPercent: savings.percent,
    savings,
  };
}

function deterministicAdvice(subType: string | null): string {
  switch (subType) {
    case 'TIME_FUNCTION':
      return 'replace current_date()/current_timestamp()/now() in the view with a column of the source or a pipeline parameter';
    case 'USER_DEFINED_FUNCTION':
      return 'replace the user-defined function with built-in SQL functions (or make it deterministic)';
    case 'NON_DETERMINISTIC_EXPRESSION':
      return 'remove non-deterministic expressions (rand(), uuid(), shuffle(), …) from the view query';
    case 'STREAMING_SOURCE':
      return 'read the source as a batch table in the materialized view, or make the target a streaming table';
    default:
      return 'make the view query deterministic: no time functions, non-deterministic UDFs or random expressions';
  }
}

/** The right-size saving in words: the same figure `cost` and the digest quote when it rests on the week's load. */
export function savingsEffect(q: SavingsQuote): string {
  const estimate = `About ${q.percent}% lower compute cost by the guide's estimate int((1 − cpu_avg/70) × 100) (§12.2)`;
  if (q.basis === 'period') {
    const dollars = q.dollars !== null ? `: about $${q.dollars.toFixed(2)} of the last ${q.periodDays} days' update spend, the figure \`cost\` and the digest show` : '';
    return `${estimate} on the ${q.cpuAvg.toFixed(1)}% mean worker CPU of the last ${q.periodDays} days${dollars}.`;
  }
  const why =
    q.periodExplainedBy !== null
      ? ` Over the last ${q.periodDays} days the idle CPUs were explained by ${EXPLAINED[q.periodExplainedBy]}, so \`cost\` and the digest count no saving: check a few more updates before cutting.`
      : q.periodDays !== null && q.dollars === null
        ? ` Over the last ${q.periodDays} days the workers were busier (at or above §12.2's 50%), so \`cost\` and the digest count no saving: this update may be a quiet one.`
        : '';
  const dollars = q.dollars !== null ? ` On the last ${q.periodDays} days' update spend that is about $${q.dollars.toFixed(2)}.` : '';
  return `${estimate} on this update's ${q.cpuAvg.toFixed(0)}% CPU.${dollars}${why}`;
}

const EXPLAINED: Record<NotSpareReason, string> = {
  'io-wait': 'I/O wait',
  shuffle: 'shuffle traffic',
  memory: 'full memory',
  skew: 'one skewed worker',
  driver: 'a busy driver',
};

export const FIXES: FixDefinition[] = [
  {
    id: 'raise-max-workers',
    category: 'scaling',
    title: 'Raise the autoscaling ceiling (max_workers)',
    guideSection: '3.2, 3.3',
    build(evidence, params) {
      const cluster = updatesCluster(evidence.pipeline.spec);
      if (cluster === null || cluster.autoscale === null) return null;
      const s = suggestMaxWorkers(evidence, cluster, params);
      if (s === null) return null;
      const current = cluster.autoscale.maxWorkers;
      const more = Math.round(((s.value - current) / current) * 100);
      const basis =
        s.basis === 'optimal_num_executors'
          ? `Databricks' autoscaler estimated ${s.value} executors as optimal (optimal_num_executors in cluster_resources) but max_workers caps it at ${current}.`
          : s.basis === 'guide 3.2'
            ? `Guide §3.2 (calculate_cluster_size on the ${writtenGb(evidence).toFixed(1)} GB this update wrote) gives max_workers = ${s.value}; the cluster is capped at ${current}.`
            : `Raise the cap from ${current} to ${s.value}.`;
      return {
        why: `The update cluster ran at its ceiling with tasks waiting for slots${forFlow(params)}. ${basis}`,
        change: { target: 'cluster', key: 'autoscale.max_workers', value: String(s.value) },
        expected_effect: `Up to ${more}% more workers and task slots when the load needs them; queued tasks start instead of waiting. Enhanced autoscaling still scales back down when the load drops.`,
        risk: `Higher peak cost: at the new ceiling the cluster burns up to ${(s.value / current).toFixed(1)}x the DBUs per hour (§12.1: larger cluster, shorter runtime, higher cost). Keep a ceiling that fits the budget.${restartNote(evidence)}`,
        impact: Math.min(0.9, 0.5 + (s.value - current) / current / 4),
      };
    },
  },
  {
    id: 'reduce-max-workers',
    category: 'scaling',
    title: 'Right-size the cluster',
    guideSection: '12.2',
    build(evidence, params) {
      const cluster = updatesCluster(evidence.pipeline.spec);
      if (cluster === null) return null;
      const s = suggestReduction(evidence, cluster, params);
      if (s === null) return null;
      return {
        why: `Workers averaged ${s.cpuAvg.toFixed(0)}% CPU, under the §12.2 right-sizing threshold of 50% and far from the 70–85% target (§1.2). ${s.value} workers at that load would run near 70%.`,
        change: { target: 'cluster', key: s.key, value: String(s.value) },
        expected_effect: savingsEffect(s.savings),
        risk: `May increase runtime (§12.2), especially on days with more data; the estimate assumes the load is spread evenly across the update.${restartNote(evidence)}`,
        impact: Math.min(0.6, 0.2 + s.savingsPercent / 200),
      };
    },
  },
  {
    id: 'enhanced-autoscaling',
    category: 'scaling',
    title: 'Switch to Enhanced Autoscaling',
    guideSection: '3.3',
    build(evidence, params) {
      const spec = evidence.pipeline.spec;
      if (spec.serverless) return null;
      const label = str(params, 'cluster');
      const cluster = label !== null ? (spec.clusters.find((c) => c.label === label) ?? null) : updatesCluster(spec);
      // Enhanced Autoscaling is for update clusters only; maintenance clusters always use legacy.
      if (cluster === null || cluster.label === 'maintenance' || cluster.autoscale === null) return null;
      if (cluster.autoscale.mode === 'ENHANCED') return null;
      return {
        why: `The ${cluster.label} cluster ${cluster.autoscale.mode === 'UNSET' ? 'sets no autoscale.mode (the API documents no default; only the UI defaults to ENHANCED), so it may run LEGACY autoscaling' : 'uses LEGACY autoscaling'}; §3.3 recommends ENHANCED for production workloads (faster scaling). Databricks: it scales on task-slot utilization and queue size and proactively shuts down under-used nodes (${DOCS.autoscaling}).`,
        change: { target: 'cluster', key: 'autoscale.mode', value: 'ENHANCED' },
        expected_effect: 'Faster scale-up when tasks queue and scale-down of idle nodes mid-update, within the same min/max bounds: less time waiting for executors and fewer idle worker-hours.',
        risk: `Scaling decisions change; check the first updates after the switch. Applies to the update cluster only (the maintenance cluster keeps legacy).${restartNote(evidence)}`,
        impact: 0.5,
      };
    },
  },
  {
    id: 'split-pipeline',
    category: 'planning',
    title: 'Split the pipeline',
    guideSection: '2.1',
    build(evidence, params) {
      const flows = num(params, 'flows') ?? evidence.flows.length;
      if (flows < 2) return null;
      const perPipeline = Math.max(1, num(params, 'maxFlows') ?? 30);
      const parts = Math.max(2, Math.ceil(flows / perPipeline));
      const initS = (evidence.update.phasesS.initializing ?? 0) + (evidence.update.phasesS.setting_up_tables ?? 0);
      return {
        why: `The planning step builds an execution plan for every table before any runs (§2.1, "can be slow for complex pipelines"); Databricks notes the driver becomes the bottleneck above about 30–40 streaming tables in one pipeline and that every triggered update repeats initialization (${DOCS.initialization}). This update has ${flows} flows.`,
        change: { target: 'code', key: 'pipeline', value: `split into ${parts} pipelines of at most ${Math.ceil(flows / parts)} flows, along independent branches of the lineage` },
        expected_effect:
          initS > 0
            ? `Each pipeline plans only its own flows: initialization (${Math.round(initS)} s now) should shrink roughly in proportion, to about ${Math.round(initS / parts)} s each, and the pipelines can run in parallel.`
            : 'Each pipeline plans only its own flows, so initialization shrinks and the pipelines can run in parallel.',
        risk: 'A code and deployment change: tables shared across pipelines become external reads (no automatic ordering between pipelines, so schedule them in a job), and each pipeline starts its own compute.',
        impact: 0.5,
      };
    },
  },
  {
    id: 'enable-cdf',
    category: 'planning',
    title: 'Enable change data feed on the source table',
    guideSection: 'docs',
    docUrl: DOCS.incremental,
    build(_evidence, params) {
      return sourceTableProposal(params, {
        feature: 'change data feed',
        key: 'delta.enableChangeDataFeed',
        reason: 'a source has no change data feed (CDF_UNAVAILABLE); with it, the view can refresh incrementally',
        risk: 'Writes to the source table also record change data: some extra storage and write time. The first refresh after the change may still be a full recompute.',
      });
    },
  },
  {
    id: 'enable-row-tracking',
    category: 'planning',
    title: 'Enable row tracking on the source table',
    guideSection: 'docs',
    docUrl: DOCS.incremental,
    build(_evidence, params) {
      return sourceTableProposal(params, {
        feature: 'row tracking',
        key: 'delta.enableRowTracking',
        reason: 'row tracking is off on a source (ROW_TRACKING_NOT_ENABLED), which incremental refresh needs',
        risk: 'Upgrades the table protocol (the rowTracking table feature): Delta clients that do not support it can no longer write the table. Irreversible without recreating the table.',
      });
    },
  },
  {
    id: 'deterministic-mv',
    category: 'planning',
    title: 'Make the materialized view query deterministic',
    guideSection: 'docs',
    docUrl: DOCS.incremental,
    build(_evidence, params) {
      const subType = str(params, 'subType');
      return {
        why: `Planning chose a complete recompute${forFlow(params)} because the query is not deterministic (PLAN_NOT_DETERMINISTIC${subType ? `, ${subType}` : ''}); non-deterministic queries are always fully recomputed (${DOCS.incremental}).`,
        change: { target: 'code', key: str(params, 'flow') ?? 'materialized view', value: deterministicAdvice(subType) },
        expected_effect: 'The view becomes eligible for incremental refresh: later updates process only changes instead of the whole input.',
        risk: 'A code change that can change results (e.g. a date filter now comes from data or a parameter): compare outputs before and after.',
        impact: 0.5,
      };
    },
  },
  {
    id: 'trim-init-scripts',
    category: 'startup',
    title: 'Take installs out of cluster start-up',
    guideSection: 'docs',
    docUrl: DOCS.initScripts,
    build(evidence, params) {
      const cluster = updatesCluster(evidence.pipeline.spec);
      if (cluster === null) return null;
      const scripts = num(params, 'scripts') ?? cluster.initScripts.length;
      const libs = num(params, 'libraries') ?? evidence.pipeline.spec.installedLibraries.length;
      const initS = num(params, 'initS');
      if (scripts === 0 && libs === 0) {
        // nothing in the spec: the installs are in the source (notebook %pip install runs while the update initializes)
        return {
          title: 'Take package installs out of initialization',
          why: `Initialization took${initS !== null ? ` ${formatDuration(initS)}` : ' long'} for only a few datasets, and the cluster spec has no init scripts or cluster libraries: what runs is in the pipeline source. \`%pip install\` cells and package downloads run on every update before any flow starts (${DOCS.initScripts}).`,
          change: null,
          expected_effect: 'Most of the initialization: pin and pre-build wheels on a Unity Catalog volume and install from there, and drop packages the pipeline does not import.',
          risk: 'A code and packaging change; test the pipeline in development mode first.',
          impact: 0.5,
        };
      }
      const what = [scripts ? `${plural(scripts, 'init script')} (${cluster.initScripts.slice(0, 2).join(', ')})` : '', libs ? plural(libs, 'cluster library', 'cluster libraries') : ''].filter(Boolean).join(' and ');
      return {
        why: `Init scripts run on every node each time the cluster starts, before Spark starts, and the update cannot run until they finish (${DOCS.initScripts}); this cluster runs ${what}. Downloads and builds in them (apt, pip, maven) are paid on every triggered update.`,
        change: null,
        expected_effect: `Most of the ${initS !== null ? `${initS} s of ` : ''}initialization: keep only what must run as root on the node; install Python packages as wheels from a Unity Catalog volume (no internet round-trips), drop packages the pipeline does not import, and avoid compiling from source.`,
        risk: 'A code and packaging change; test the pipeline in development mode after removing a script.',
        impact: 0.6,
      };
    },
  },
  {
    id: 'use-instance-pool',
    category: 'startup',
    title: 'Start the cluster from an instance pool',
    guideSection: 'docs',
    docUrl: DOCS.pools,
    build(evidence, params) {
      const cluster = updatesCluster(evidence.pipeline.spec);
      if (cluster === null || cluster.instancePoolId !== null) return null;
      const waitS = waitedS(evidence, params);
      return {
        why: `The update waited${seconds(waitS)} for cloud instances. A pool keeps idle, ready instances so clusters start and scale from them instead of the cloud provider (${DOCS.pools}).`,
        change: { target: 'cluster', key: 'instance_pool_id', value: '<instance-pool-id>' },
        expected_effect: `Start-up and scale-up take instances from the pool${waitS !== null ? `, cutting most of the ${Math.round(waitS)} s wait` : ''} while the pool has idle instances. The value is a placeholder: create a pool of ${cluster.nodeTypeId ?? 'the same node type'} and put its id here (and in driver_instance_pool_id for the driver).`,
        risk: 'Idle instances kept in the pool are billed by the cloud provider (no DBUs while idle); size min idle instances to the schedule. The pool decides node type and spot/on-demand settings.',
        impact: 0.5,
      };
    },
  },
  {
    id: 'use-serverless',
    category: 'startup',
    title: 'Run the pipeline on serverless compute',
    guideSection: 'docs',
    docUrl: DOCS.serverless,
    build(evidence, params) {
      const spec = evidence.pipeline.spec;
      // Serverless pipelines require Unity Catalog: a Hive-metastore pipeline (no catalog) cannot switch.
      if (spec.serverless || spec.catalog === null) return null;
      const waitS = waitedS(evidence, params);
      return {
        why: `The update waited${seconds(waitS)} for a classic cluster to be provisioned. Serverless pipelines run on compute Databricks keeps ready and scales for you.`,
        change: { target: 'pipeline', key: 'serverless', value: 'true' },
        expected_effect: 'No cluster to provision per update: the waiting-for-resources phase mostly disappears, and autoscaling is always enhanced.',
        risk: 'Different billing (serverless DBUs include the compute); node types, instance pools and most spark_conf settings no longer apply; requires Unity Catalog and serverless enabled in the workspace.',
        impact: 0.45,
      };
    },
  },
];
