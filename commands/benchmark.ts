/**
 * `benchmark <pipeline> [--iterations N] [--max-dollars X]` (guide §10.1): full-refresh updates of a
 * clone of the pipeline (never the pipeline itself), each measured — duration, records processed,
 * throughput, DBUs and dollars — with averages; the clone is deleted at the end. `benchmark cancel
 * <pipeline>` stops a running one. Allowed users only in chat.
 */
import { z } from 'zod';
import type { Command, Reply } from './types.js';
import { experimentFlags, failWith, parseIterations, parseMaxDollars, runExperimentArgs, subcommandArgs, type ExperimentArgs } from './experiment.js';

export type BenchmarkArgs = ExperimentArgs;

export const args = z
  .strictObject({ _: z.array(z.string().min(1)), ...experimentFlags })
  .transform((v, ctx): BenchmarkArgs => {
    const fail = failWith(ctx);
    const sub = subcommandArgs('benchmark', v._, fail);
    if (sub) return sub;
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
  run(a, ctx): Promise<Reply> {
    return runExperimentArgs(a, ctx);
  },
};
