/**
 * `benchmark <pipeline> [--iterations N] [--max-dollars X]` (guide §10.1): full-refresh updates of a
 * clone of the pipeline (never the pipeline itself), each measured — duration, records processed,
 * throughput, DBUs and dollars — with averages; the clone is deleted at the end. `benchmark cancel
 * <pipeline>` stops a running one. Allowed users only in chat.
 */
import { z } from 'zod';
import type { Command, Reply } from './types.js';
import { cancelArgs, cancelExperiment, listExperiments, experimentFlags, failWith, parseIterations, parseMaxDollars, runOrPlan } from './experiment.js';
import type { ExperimentRequest } from '../src/experiment/service.js';

export type BenchmarkArgs = { action: 'cancel'; ref: string } | { action: 'list' } | { action: 'run'; request: ExperimentRequest };

export const args = z
  .strictObject({ _: z.array(z.string().min(1)), ...experimentFlags })
  .transform((v, ctx): BenchmarkArgs => {
    const fail = failWith(ctx);
    const cancel = cancelArgs('benchmark', v._, fail);
    if (cancel) return cancel;
    if (v._.length !== 1) return fail(v._.length === 0 ? 'give the pipeline to benchmark, e.g. benchmark orders_silver' : 'benchmark takes one pipeline');
    return { action: 'run', request: { kind: 'benchmark', pipeline: v._[0]!, iterations: parseIterations(v.iterations, fail), maxDollars: parseMaxDollars(v['max-dollars'], fail) } };
  });

export const benchmark: Command<BenchmarkArgs> = {
  meta: {
    name: 'benchmark',
    summary: 'Benchmark a pipeline on a clone: full-refresh runs, duration, throughput and cost per run (guide §10.1).',
    usage: 'benchmark <pipeline> [--iterations N] [--max-dollars X] | benchmark cancel <pipeline> | benchmark list',
    examples: ['benchmark orders_silver --iterations 3', 'benchmark orders_silver --max-dollars 20', 'benchmark cancel orders_silver'],
  },
  args,
  async run(a, ctx): Promise<Reply> {
    if (a.action === 'cancel') return cancelExperiment(a.ref, ctx);
    if (a.action === 'list') return listExperiments(ctx);
    return runOrPlan(a.request, ctx);
  },
};
