/** Throughput per run in the order the runs ran (A1 B1 A2 B2 …): what the PNG chart and the Teams card chart draw. */
import type { ExperimentOutcome, IterationResult } from './types.js';

export interface ThroughputBar {
  label: string;
  variant: 'A' | 'B';
  value: number;
  completed: boolean;
}

export function throughputBars(outcome: ExperimentOutcome): ThroughputBar[] {
  const r = outcome.result;
  const bar = (variant: 'A' | 'B', i: IterationResult, ab: boolean): ThroughputBar => ({ label: `${ab ? variant : '#'}${i.iteration}`, variant, value: i.throughput_records_per_sec, completed: i.state === 'COMPLETED' });
  if (r.schema === 'dlt-doctor/benchmark@1') return r.iterations.map((i) => bar('A', i, false));
  const out: ThroughputBar[] = [];
  for (let k = 0; k < Math.max(r.results_a.iterations.length, r.results_b.iterations.length); k++) {
    const a = r.results_a.iterations[k];
    const b = r.results_b.iterations[k];
    if (a) out.push(bar('A', a, true));
    if (b) out.push(bar('B', b, true));
  }
  return out;
}
