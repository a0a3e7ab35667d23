/**
 * The runs of an experiment in the order they ran (A1 B1 A2 B2 …), and the throughput per run the
 * PNG chart and the Teams card chart draw from them. The result table (templates/experiment.ts)
 * lists the same order.
 */
import type { AbTestResult, BenchmarkResult, ExperimentOutcome, IterationResult, Variant } from './types.js';

/** every run, interleaved as they ran; a benchmark's have no variant */
export function runsInOrder(r: BenchmarkResult | AbTestResult): { variant: Variant | null; run: IterationResult }[] {
  if (r.schema === 'dlt-doctor/benchmark@1') return r.iterations.map((run) => ({ variant: null, run }));
  const out: { variant: Variant; run: IterationResult }[] = [];
  for (let k = 0; k < Math.max(r.results_a.iterations.length, r.results_b.iterations.length); k++) {
    const a = r.results_a.iterations[k];
    const b = r.results_b.iterations[k];
    if (a) out.push({ variant: 'A', run: a });
    if (b) out.push({ variant: 'B', run: b });
  }
  return out;
}

export interface ThroughputBar {
  label: string;
  variant: 'A' | 'B';
  value: number;
  completed: boolean;
}

export function throughputBars(outcome: ExperimentOutcome): ThroughputBar[] {
  return runsInOrder(outcome.result).map(({ variant, run }) => ({ label: `${variant ?? '#'}${run.iteration}`, variant: variant ?? 'A', value: run.throughput_records_per_sec, completed: run.state === 'COMPLETED' }));
}
