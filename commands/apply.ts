/**
 * `apply <recommendation-id> [--pipeline X] [--update ID]`: the exact settings diff of one fix of a
 * diagnosis, with a Confirm button (the chat surface then runs the same confirmation path as the
 * Apply button: allowed users only, read-modify-write PUT, audited). Nothing is changed here.
 */
import { z } from 'zod';
import { DoctorError, notAllowed } from '../src/errors.js';
import { REFUSED_MESSAGE } from '../src/apply/apply-service.js';
import type { Command, Reply } from './types.js';
import { pipelineRef } from './why-slow.js';

export interface ApplyArgs {
  recommendation: string;
  pipeline: string | null;
  update: string | null;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).length(1, 'give one recommendation id, e.g. enable-photon (the Apply button and `why-slow` show them)'),
    pipeline: z.string({ error: 'needs a pipeline name or id' }).min(1).optional(),
    update: z.string({ error: 'needs an update id' }).min(1).optional(),
  })
  .transform((v): ApplyArgs => ({ recommendation: v._[0]!, pipeline: v.pipeline ?? null, update: v.update ?? null }));

export const apply: Command<ApplyArgs> = {
  meta: {
    name: 'apply',
    summary: 'Apply one fix of a diagnosis to the pipeline settings (allowed users only; shows the diff first; audited).',
    usage: 'apply <recommendation-id> [--pipeline X] [--update ID]',
    examples: ['apply enable-photon --pipeline orders_silver', 'apply raise-max-workers --pipeline events_bronze --update 8f2c1e'],
  },
  args,
  async run(a, ctx): Promise<Reply> {
    if (!ctx.alerts) throw new DoctorError('CONFIG', 'Apply runs in the chat bot (it needs the audit database); in a terminal, change the pipeline settings in Databricks.');
    if (!ctx.alerts.apply.canApply(ctx.applyActor ?? ctx.userId)) throw notAllowed(REFUSED_MESSAGE);
    const ref = await pipelineRef(ctx.source, a.pipeline, apply.meta.usage);
    const p = await ctx.alerts.apply.preview({ pipeline: ref, updateId: a.update, recommendationId: a.recommendation });
    return {
      kind: 'apply-preview',
      pipeline: { id: p.pipelineId, name: p.pipelineName },
      updateId: p.updateId,
      recommendation: { id: p.recommendation.id, title: p.recommendation.title, guideSection: p.recommendation.guide_section, expectedEffect: p.recommendation.expected_effect, risk: p.recommendation.risk },
      diff: p.diff,
      lastModified: p.lastModified,
    };
  },
};
