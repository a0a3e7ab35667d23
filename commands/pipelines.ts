import { z } from 'zod';
import { assessPipeline, worstFirst, type PipelineAssessment } from '../src/diagnosis/pipeline-assessment.js';
import type { Command, CommandContext } from './types.js';

export interface PipelinesArgs {
  filter: string | null;
}

export const args = z
  .strictObject({ _: z.array(z.string().max(200, 'a filter is at most 200 characters: a piece of a name or a glob such as *_silver')).max(1, 'give at most one filter (quote it if it has spaces)') })
  .transform((v): PipelinesArgs => ({ filter: v._[0]?.trim() || null }));

export const pipelines: Command<PipelinesArgs> = {
  meta: {
    name: 'pipelines',
    summary: 'List pipelines worst first: failed, falling behind, slower than baseline, alert open; then the rest.',
    usage: 'pipelines [filter]',
    examples: ['pipelines', 'pipelines orders'],
  },
  args,
  async run(a, ctx) {
    const list = await ctx.source.listPipelines(a.filter ?? undefined);
    const incidents = await openIncidents(ctx);
    const now = ctx.now().getTime();
    const verdicts = (await ctx.alerts?.store.lastVerdicts()) ?? new Map<string, never>();
    const assessed = list.map((p) => ({ ...p, assessment: assessPipeline(p, { now, incidents, verdicts }) }));
    return { kind: 'pipelines', pipelines: assessed.sort(worstFirst), filter: a.filter };
  },
};

/** open alert threads per pipeline, from the alert store where there is one (chat surfaces) */
async function openIncidents(ctx: CommandContext): Promise<Map<string, PipelineAssessment['openIncidents']>> {
  const out = new Map<string, PipelineAssessment['openIncidents']>();
  for (const i of (await ctx.alerts?.store.openIncidents()) ?? []) {
    const list = out.get(i.pipelineId) ?? [];
    // one per kind and update: the same alert open in two channels is one thing wrong
    if (!list.some((x) => x.kind === i.kind && x.updateId === i.updateId)) list.push({ kind: i.kind, updateId: i.updateId, openedAt: i.openedAt });
    out.set(i.pipelineId, list);
  }
  return out;
}
