import { z } from 'zod';
import type { Evidence } from '../src/diagnosis/evidence.js';
import { diagnose } from '../src/diagnosis/diagnose.js';
import { nodeStats } from '../src/diagnosis/rules/node-stats.js';
import { updatesCluster } from '../src/diagnosis/rules/pipeline-facts.js';
import { sizeAdvice, sizeFlags, type SizeAdvice } from '../src/diagnosis/size-advice.js';
import { calculateClusterSize, optimalPartitions } from '../src/diagnosis/sizing.js';
import { badUsage } from '../src/errors.js';
import type { Command, Reply } from './types.js';

export interface SizeArgs {
  pipeline: string | null;
  gb: number | null;
  complexity: number;
}

const positiveNumber = (what: string, max: number) =>
  z
    .string({ error: `needs a number (${what})` })
    .trim()
    .regex(/^\d+(\.\d+)?([eE][-+]?\d+)?$/, `must be a positive number (${what})`)
    .transform(Number)
    .pipe(z.number().positive(`must be greater than 0 (${what})`).max(max, `must be at most ${max} (${what})`));

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(1, 'give one pipeline, or --gb N'),
    gb: positiveNumber('daily data volume in GB', 10_000_000).optional(),
    complexity: positiveNumber('1.0 simple ETL, 2.0+ complex joins', 10).optional(),
  })
  .refine((v) => v._.length === 1 || v.gb !== undefined, { message: 'give a pipeline or --gb N (daily data volume in GB)' })
  .transform((v): SizeArgs => ({ pipeline: v._[0] ?? null, gb: v.gb ?? null, complexity: v.complexity ?? 1 }));

const GIB = 1024 ** 3;

/**
 * Current worker bounds and measured mean worker CPU (user + system) over the steady part of the
 * running phase (after warm-up, rules/node-stats.ts): the figure why-slow and §12.2 read.
 */
export function currentSizing(e: Evidence): Extract<Reply, { kind: 'size' }>['current'] {
  const c = updatesCluster(e.pipeline.spec);
  const cpu = nodeStats(e)?.workerCpuMean ?? null;
  return {
    minWorkers: c?.autoscale?.minWorkers ?? c?.numWorkers ?? null,
    maxWorkers: c?.autoscale?.maxWorkers ?? c?.numWorkers ?? null,
    cpuAvg: cpu === null ? null : Math.round(cpu * 10) / 10,
  };
}

export const size: Command<SizeArgs> = {
  meta: {
    name: 'size',
    summary: "The guide's cluster sizing formula (§3.2) and partition count (§7.2), joined with the measured load and the verdict.",
    usage: 'size <pipeline> | --gb N [--complexity F]',
    examples: ['size --gb 500 --complexity 1.5', 'size orders_silver', 'size orders_silver --gb 800'],
  },
  args,
  async run(a, ctx) {
    let gb = a.gb;
    let current: Extract<Reply, { kind: 'size' }>['current'] = null;
    let pipeline: string | null = null;
    let evidence: Evidence | null = null;
    if (a.pipeline !== null) {
      evidence = await ctx.source.collect(a.pipeline, ctx.onProgress ? { onProgress: ctx.onProgress } : {});
      pipeline = evidence.pipeline.name;
      current = currentSizing(evidence);
      if (gb === null) {
        // the update's written bytes stand in for the daily volume when none is given
        const bytes = evidence.flows.reduce((s, f) => s + f.outputBytes, 0);
        if (bytes <= 0) throw badUsage(`No output volume measured for ${pipeline}.`, 'Give the daily data volume: size <pipeline> --gb N');
        gb = Math.round((bytes / GIB) * 100) / 100;
      }
    }
    if (gb === null) throw badUsage('give a pipeline or --gb N');
    const formula = calculateClusterSize(gb, a.complexity);
    let advice: SizeAdvice | null = null;
    if (evidence !== null) {
      ctx.onProgress?.('analysing');
      advice = sizeAdvice(evidence, diagnose(evidence), formula, gb);
    }
    return {
      kind: 'size',
      input: { gb, complexity: a.complexity, pipeline },
      size: formula,
      partitions: optimalPartitions(gb),
      current,
      advice,
      flags: sizeFlags(formula, advice, current?.maxWorkers ?? null),
    };
  },
};
