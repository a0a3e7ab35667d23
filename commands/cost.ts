/** `cost [pipeline] [--days N]`: DBUs, list-price dollars, DBU per million rows and savings (guide 1.2, §12). */
import { z } from 'zod';
import { computeDigest, periodOfDays } from '../src/digest/compute.js';
import { resolveCostBackend } from '../src/digest/backend.js';
import type { Command } from './types.js';
import { appliedChangesOf } from './why-slow.js';

export interface CostArgs {
  pipeline: string | null;
  days: number;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(1, 'give at most one pipeline (quote a name with spaces)'),
    days: z
      .string({ error: 'needs a number of days' })
      .regex(/^\d{1,3}$/, 'must be a whole number of days (1–90)')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(90, 'must be at most 90'))
      .optional(),
  })
  .transform((v): CostArgs => ({ pipeline: v._[0] ?? null, days: v.days ?? 7 }));

export const cost: Command<CostArgs> = {
  meta: {
    name: 'cost',
    summary: 'DBUs and list-price dollars vs the previous period, DBU per million rows, savings opportunities (guide §12).',
    usage: 'cost [pipeline] [--days N]',
    examples: ['cost', 'cost orders_silver --days 30'],
  },
  args,
  async run(a, ctx) {
    const backend = await resolveCostBackend(ctx);
    const pipeline = a.pipeline === null ? null : await ctx.source.resolvePipeline(a.pipeline);
    const pipelines = await backend.listPipelines();
    const digest = await computeDigest(backend.warehouse, pipelines, {
      ...periodOfDays(ctx.now(), a.days),
      filter: null,
      top: pipeline ? 1 : 10,
      ...(pipeline ? { pipelineIds: [pipeline.id] } : {}),
      // no advice that undoes what dlt-doctor applied (src/digest/applied.ts)
      applied: await appliedChangesOf(ctx),
    });
    return { kind: 'cost', digest, pipeline, days: a.days };
  },
};
