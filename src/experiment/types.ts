/**
 * Benchmarks and A/B tests (guide §10): the shapes a run produces. The JSON field names follow the
 * guide's own `benchmark_pipeline` and `ab_test_configurations` (§10.1, §10.3); docs/contract.md §6
 * is the stable contract (`dlt-doctor/benchmark@1`, `dlt-doctor/ab-test@1`).
 */
import type { Change } from '../diagnosis/types.js';
import type { SettingChange } from '../apply/apply-change.js';

export type Variant = 'A' | 'B';
export type ExperimentKind = 'benchmark' | 'ab-test';

/** One full-refresh update of a clone, measured from its event log and billing (§10.1). */
export interface IterationResult {
  iteration: number;
  update_id: string;
  /** the update's terminal state: COMPLETED, FAILED or CANCELED */
  state: string;
  duration_seconds: number;
  records_processed: number;
  throughput_records_per_sec: number;
  /** system.billing.usage of the update; null while billing has not recorded it (it lags) */
  cluster_dbus: number | null;
  dollars: number | null;
  /** true: `dollars` is estimated from the source pipeline's recent cost per second, billing had no rows yet */
  dollars_estimated: boolean;
}

export interface BenchmarkResult {
  schema: 'dlt-doctor/benchmark@1';
  /** the pipeline benchmarked (its clone ran the updates) */
  pipeline_id: string;
  pipeline_name: string;
  clone_pipeline_id: string | null;
  iterations: IterationResult[];
  avg_duration: number | null;
  avg_throughput: number | null;
  /** sample standard deviations (n − 1); null with fewer than two iterations */
  stdev_duration: number | null;
  stdev_throughput: number | null;
  total_dollars: number | null;
  cost_per_million_records: number | null;
}

export type Decision = 'apply' | 'dont' | 'inconclusive';

export interface AbTestResult {
  schema: 'dlt-doctor/ab-test@1';
  pipeline_id: string;
  pipeline_name: string;
  /** the settings that differ: A as the pipeline has them, B with the change */
  config_a: Record<string, string | null>;
  config_b: Record<string, string | null>;
  results_a: BenchmarkResult;
  results_b: BenchmarkResult;
  /** (B − A) / A × 100 of the average throughput (§10.3) */
  throughput_improvement: number | null;
  /** (A − B) / A × 100 of the average duration (§10.3) */
  duration_improvement: number | null;
  cost_per_million_records_a: number | null;
  cost_per_million_records_b: number | null;
  /** Welch's t-test on throughput, two-sided p < 0.05 (src/experiment/stats.ts) */
  significant: boolean;
  p_value: number | null;
  recommendation: Decision;
  /** the decision in one sentence */
  summary: string;
  /** what B changed: a recommendation id of the diagnosis, or key=value settings */
  recommendation_id: string | null;
  changes: Change[];
}

export type ExperimentState = 'running' | 'completed' | 'failed' | 'canceled' | 'capped';

/** What a surface shows while an experiment runs ("B 2/3 running · 7m"). */
export interface ExperimentProgress {
  experimentId: string;
  kind: ExperimentKind;
  pipelineName: string;
  /** creating the clones, an iteration running or measured, cleaning up */
  step: 'creating' | 'running' | 'measured' | 'cleaning';
  variant: Variant | null;
  iteration: number | null;
  iterations: number;
  /** iterations finished so far, all variants */
  done: number;
  total: number;
  /** ms since the experiment started */
  elapsedMs: number;
  /** ms since the current update started (step running) */
  updateElapsedMs: number | null;
  spentDollars: number;
  maxDollars: number | null;
}

/** What the confirmation shows before anything is created. */
export interface ExperimentPlan {
  kind: ExperimentKind;
  pipelineId: string;
  pipelineName: string;
  iterations: number;
  variants: Variant[];
  /** where the clones write: one schema per clone under it */
  scratchTarget: string;
  /** recent updates' cost × iterations × variants; null without billing */
  estimatedDollars: number | null;
  /** the recent update the estimate is based on */
  basis: { updateId: string; durationS: number | null; dollars: number | null } | null;
  maxDollars: number | null;
  /** ab-test: what B changes (the exact settings diff, as apply shows it) */
  recommendationId: string | null;
  recommendationTitle: string | null;
  changes: Change[];
  diff: SettingChange[];
  /** caveats to show (continuous run triggered, Hive metastore tables kept, …) */
  notes: string[];
}

export interface ExperimentOutcome {
  experimentId: string;
  state: ExperimentState;
  /** why it stopped early (failed, canceled, capped) */
  message: string | null;
  result: BenchmarkResult | AbTestResult;
  /** cleanup: clones deleted, and what could not be removed */
  cleanup: { deleted: string[]; left: string[]; notes: string[] };
}
