/**
 * Benchmarks and A/B tests in words, shared by the terminal, Slack and Teams: the plan (what will
 * run, what it should cost, where the clones write), the progress line ("B 2/3 running · 7m"),
 * and the result table with the decision in one sentence.
 */
import type { Reply } from '../commands/types.js';
import type { BenchmarkResult, ExperimentOutcome, ExperimentPlan, ExperimentProgress, IterationResult } from '../src/experiment/types.js';
import { formatDuration, formatNumber } from '../src/diagnosis/format.js';
import { runsInOrder } from '../src/experiment/bars.js';
import { diffLines } from './blocks/alerts.js';
import type { TextOptions } from './format.js';
import { wrap } from './format.js';

export const dollars = (x: number | null, estimated = false) => (x === null ? '—' : `${estimated ? '~' : ''}$${x < 10 ? x.toFixed(2) : formatNumber(Math.round(x))}`);
const signed = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : x < 0 ? '−' : ''}${Math.abs(x).toFixed(1)}%`);

export function planTitle(plan: ExperimentPlan): string {
  return plan.kind === 'benchmark'
    ? `Benchmark ${plan.pipelineName}: ${plan.iterations} full-refresh run${plan.iterations === 1 ? '' : 's'} on a clone`
    : `A/B test on ${plan.pipelineName}: ${plan.recommendationTitle ?? plan.changes.map((c) => `${c.key}=${c.value}`).join(', ')} — ${plan.iterations} run${plan.iterations === 1 ? '' : 's'} each of A and B, interleaved`;
}

/** the plan's facts, one per line */
export function planLines(plan: ExperimentPlan): string[] {
  const runs = plan.iterations * plan.variants.length;
  return [
    `Estimated cost: ${plan.estimatedDollars === null ? 'unknown (no billing data)' : `about ${dollars(plan.estimatedDollars)}`} for ${runs} full refresh${runs === 1 ? '' : 'es'}${plan.basis?.dollars != null ? ` (the latest update cost ${dollars(plan.basis.dollars)} in ${formatDuration(plan.basis.durationS)})` : ''}.`,
    plan.maxDollars === null
      ? 'No cost cap: add --max-dollars to set one.'
      : plan.estimatedDollars !== null && plan.estimatedDollars > plan.maxDollars
        ? `Stops at the --max-dollars cap of ${dollars(plan.maxDollars)}: below the estimate, so it will likely stop after about ${Math.max(0, Math.floor((plan.maxDollars / plan.estimatedDollars) * runs))} of the ${runs} runs.`
        : `Stops at the --max-dollars cap of ${dollars(plan.maxDollars)}.`,
    `Clones write to ${plan.scratchTarget}, never to the pipeline's own tables, and are deleted at the end.`,
    ...(plan.diff.length ? ['B changes:', ...diffLines(plan.diff).split('\n').map((l) => `  ${l}`)] : []),
    ...plan.notes,
  ];
}

export function progressLine(p: ExperimentProgress): string {
  const spent = p.spentDollars > 0 ? ` · ${dollars(p.spentDollars)}${p.maxDollars !== null ? ` of ${dollars(p.maxDollars)}` : ''}` : '';
  const elapsed = ` · ${formatDuration(p.elapsedMs / 1000)}`;
  switch (p.step) {
    case 'creating':
      return `${p.pipelineName}: creating the clone${p.kind === 'ab-test' ? 's' : ''}…`;
    case 'running':
      return `${p.pipelineName}: ${p.variant ? `${p.variant} ` : ''}${p.iteration}/${p.iterations} running · ${formatDuration((p.updateElapsedMs ?? 0) / 1000)}${spent} (${p.done}/${p.total} done${elapsed})`;
    case 'measured':
      return `${p.pipelineName}: ${p.variant ? `${p.variant} ` : ''}${p.iteration}/${p.iterations} measured${spent} (${p.done}/${p.total} done${elapsed})`;
    case 'cleaning':
      return `${p.pipelineName}: deleting the clone${p.kind === 'ab-test' ? 's' : ''}…`;
  }
}

export interface ResultRow {
  variant: string;
  iteration: number;
  state: string;
  duration: string;
  records: string;
  throughput: string;
  cost: string;
}

export function resultRows(outcome: ExperimentOutcome): ResultRow[] {
  const r = outcome.result;
  const row = (variant: string, i: IterationResult): ResultRow => ({
    variant,
    iteration: i.iteration,
    state: i.state,
    duration: formatDuration(i.duration_seconds),
    records: formatNumber(i.records_processed),
    throughput: `${formatNumber(Math.round(i.throughput_records_per_sec))}/s`,
    cost: dollars(i.dollars, i.dollars_estimated),
  });
  // interleaved, as they ran
  return runsInOrder(r).map(({ variant, run }) => row(variant ?? '', run));
}

const avgLine = (label: string, b: BenchmarkResult) =>
  `${label}avg ${formatDuration(b.avg_duration)}${b.stdev_duration !== null ? ` ± ${formatDuration(b.stdev_duration)}` : ''}, ${b.avg_throughput === null ? '—' : `${formatNumber(Math.round(b.avg_throughput))} records/s`}${b.stdev_throughput !== null ? ` ± ${formatNumber(Math.round(b.stdev_throughput))}` : ''}, ${b.cost_per_million_records === null ? 'cost —' : `${dollars(b.cost_per_million_records)} per million records`}`;

/** the summary lines under the table */
export function resultSummary(outcome: ExperimentOutcome): string[] {
  const r = outcome.result;
  const stopped = outcome.state === 'completed' ? [] : [`Stopped (${outcome.state}): ${outcome.message ?? ''}`.trim()];
  const cleanup = [
    outcome.cleanup.left.length ? `Not deleted: ${outcome.cleanup.left.join(', ')} (tried again at the next start).` : `Clone${outcome.cleanup.deleted.length === 1 ? '' : 's'} deleted${outcome.cleanup.deleted.length ? '' : ' (none was created)'}.`,
    ...outcome.cleanup.notes,
  ];
  const estimated = runsInOrder(r).some(({ run }) => run.dollars_estimated) ? ['~ cost estimated: billing had not recorded those updates yet.'] : [];
  if (r.schema === 'dlt-doctor/benchmark@1') return [...stopped, avgLine('', r), ...estimated, ...cleanup];
  return [
    ...stopped,
    avgLine('A: ', r.results_a),
    avgLine('B: ', r.results_b),
    `Throughput ${signed(r.throughput_improvement)}, duration ${signed(r.duration_improvement)} (B against A)${r.p_value !== null ? `, p = ${r.p_value < 0.001 ? '< 0.001' : r.p_value.toFixed(3)}` : ''}.`,
    r.summary,
    ...estimated,
    ...cleanup,
  ];
}


export function resultTitle(outcome: ExperimentOutcome): string {
  const r = outcome.result;
  return r.schema === 'dlt-doctor/benchmark@1' ? `Benchmark of ${r.pipeline_name}` : `A/B test on ${r.pipeline_name}: ${r.recommendation === 'apply' ? 'apply it' : r.recommendation === 'dont' ? "don't apply" : 'inconclusive'}`;
}

function table(rows: ResultRow[], withVariant: boolean): string[] {
  const head = [...(withVariant ? ['run'] : ['#']), 'state', 'duration', 'records', 'throughput', 'cost'];
  const body = rows.map((r) => [withVariant ? `${r.variant}${r.iteration}` : String(r.iteration), r.state, r.duration, r.records, r.throughput, r.cost]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(head), ...body.map(line)];
}

export function resultTable(outcome: ExperimentOutcome): string[] {
  return table(resultRows(outcome), outcome.result.schema === 'dlt-doctor/ab-test@1');
}

export function toText(reply: Extract<Reply, { kind: 'experiment-plan' | 'experiment-result' }>, o: TextOptions): string {
  if (reply.kind === 'experiment-plan') return [planTitle(reply.plan), ...planLines(reply.plan).flatMap((l) => wrap(l, o.width))].join('\n');
  return [resultTitle(reply.outcome), '', ...resultTable(reply.outcome), '', ...resultSummary(reply.outcome).flatMap((l) => wrap(l, o.width))].join('\n');
}
