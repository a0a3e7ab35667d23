/**
 * Iterations → the guide's result objects (§10.1 benchmark, §10.3 comparison) and the decision.
 *
 * The decision rule, stated so a reader can check it:
 * - fewer than two completed iterations in a variant: inconclusive (no spread to compare against);
 * - Welch's t-test on throughput not significant (two-sided p ≥ 0.05): inconclusive — the
 *   difference is within the run-to-run spread; more iterations can tell;
 * - B significantly slower: don't;
 * - B significantly faster: apply when B's cost per million records is at most 10 % above A's
 *   (COST_TOLERANCE; Photon doubles the DBU rate, so it pays only when it more than halves the
 *   time, guide §12.1), else don't — faster, but it costs more per record; without billing the
 *   speed decides and the sentence says the cost was not measured.
 */
import type { Change } from '../diagnosis/types.js';
import { mean, SIGNIFICANCE_ALPHA, stdev, welchTTest } from './stats.js';
import type { AbTestResult, BenchmarkResult, Decision, IterationResult } from './types.js';

export const COST_TOLERANCE = 0.1;

const round = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const completed = (its: readonly IterationResult[]) => its.filter((i) => i.state === 'COMPLETED' && i.duration_seconds > 0);

export function benchmarkResult(p: { id: string; name: string }, cloneId: string | null, iterations: IterationResult[]): BenchmarkResult {
  const done = completed(iterations);
  const durations = done.map((i) => i.duration_seconds);
  const throughputs = done.map((i) => i.throughput_records_per_sec);
  const dollars = iterations.map((i) => i.dollars);
  const total = dollars.some((d) => d === null) || dollars.length === 0 ? null : dollars.reduce<number>((a, b) => a + (b ?? 0), 0);
  const doneDollars = done.map((i) => i.dollars);
  const records = done.reduce((a, i) => a + i.records_processed, 0);
  const doneTotal = doneDollars.some((d) => d === null) || done.length === 0 ? null : doneDollars.reduce<number>((a, b) => a + (b ?? 0), 0);
  return {
    schema: 'dlt-doctor/benchmark@1',
    pipeline_id: p.id,
    pipeline_name: p.name,
    clone_pipeline_id: cloneId,
    iterations,
    avg_duration: round(mean(durations), 1),
    avg_throughput: round(mean(throughputs)),
    stdev_duration: round(stdev(durations), 1),
    stdev_throughput: round(stdev(throughputs)),
    total_dollars: round(total, 4),
    cost_per_million_records: doneTotal === null || records <= 0 ? null : round((doneTotal / records) * 1e6, 4),
  };
}

const pct = (x: number) => `${Math.abs(x) >= 10 ? Math.round(Math.abs(x)) : Math.abs(x).toFixed(1)}%`;

export function abTestResult(o: {
  pipeline: { id: string; name: string };
  a: BenchmarkResult;
  b: BenchmarkResult;
  configA: Record<string, string | null>;
  configB: Record<string, string | null>;
  recommendationId: string | null;
  changes: Change[];
}): AbTestResult {
  const { a, b } = o;
  const ta = completed(a.iterations).map((i) => i.throughput_records_per_sec);
  const tb = completed(b.iterations).map((i) => i.throughput_records_per_sec);
  const throughput = a.avg_throughput && b.avg_throughput !== null ? ((b.avg_throughput - a.avg_throughput) / a.avg_throughput) * 100 : null;
  const duration = a.avg_duration && b.avg_duration !== null ? ((a.avg_duration - b.avg_duration) / a.avg_duration) * 100 : null;
  const test = welchTTest(ta, tb);
  const significant = test !== null && test.p < SIGNIFICANCE_ALPHA;
  const cpmA = a.cost_per_million_records;
  const cpmB = b.cost_per_million_records;
  let recommendation: Decision;
  let summary: string;
  const spread = test ? ` (p = ${test.p < 0.001 ? '< 0.001' : test.p.toFixed(3)})` : '';
  if (ta.length < 2 || tb.length < 2) {
    recommendation = 'inconclusive';
    summary = `Inconclusive: each variant needs at least 2 completed iterations to compare against the run-to-run spread (A ${ta.length}, B ${tb.length}); run it again with --iterations 3.`;
  } else if (!significant) {
    recommendation = 'inconclusive';
    summary = `Inconclusive: B's throughput differs by ${throughput === null ? '?' : `${throughput >= 0 ? '+' : '−'}${pct(throughput)}`}, within the run-to-run spread${spread}; ${ta.length + tb.length >= 20 ? 'the change makes no measurable difference — it is not worth paying for.' : 'more iterations (--iterations up to 10) can tell.'}`;
  } else if ((throughput ?? 0) <= 0) {
    recommendation = 'dont';
    summary = `Don't apply: B is ${pct(throughput ?? 0)} slower in throughput${spread}.`;
  } else if (cpmA !== null && cpmB !== null && cpmA > 0) {
    const costDelta = ((cpmB - cpmA) / cpmA) * 100;
    if (cpmB <= cpmA * (1 + COST_TOLERANCE)) {
      recommendation = 'apply';
      summary = `Apply it: B's throughput is ${pct(throughput!)} higher${spread} and it costs ${costDelta <= 0 ? `${pct(costDelta)} less` : `${pct(costDelta)} more`} per million records.`;
    } else {
      recommendation = 'dont';
      summary = `Don't apply for cost: B is ${pct(throughput!)} faster${spread} but costs ${pct(costDelta)} more per million records; apply it only if the time matters more than the money.`;
    }
  } else {
    recommendation = 'apply';
    summary = `Apply it: B's throughput is ${pct(throughput!)} higher${spread}; its cost was not measured (no billing data).`;
  }
  return {
    schema: 'dlt-doctor/ab-test@1',
    pipeline_id: o.pipeline.id,
    pipeline_name: o.pipeline.name,
    config_a: o.configA,
    config_b: o.configB,
    results_a: a,
    results_b: b,
    throughput_improvement: round(throughput, 1),
    duration_improvement: round(duration, 1),
    cost_per_million_records_a: cpmA,
    cost_per_million_records_b: cpmB,
    significant,
    p_value: test ? round(test.p, 4) : null,
    recommendation,
    summary,
    recommendation_id: o.recommendationId,
    changes: o.changes,
  };
}
