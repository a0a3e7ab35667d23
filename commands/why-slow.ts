import { z } from 'zod';
import { diagnose } from '../src/diagnosis/diagnose.js';
import { badUsage } from '../src/errors.js';
import type { Source } from '../src/source.js';
import type { AppliedChange } from '../src/diagnosis/applied-changes.js';
import type { Command, CommandContext } from './types.js';

export interface WhySlowArgs {
  pipeline: string | null;
  update: string | null;
}

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(1, 'give one pipeline (quote a name with spaces)'),
    update: z.string({ error: 'needs an update id' }).min(1).optional(),
  })
  .transform((v): WhySlowArgs => ({ pipeline: v._[0] ?? null, update: v.update ?? null }));

/** The changes dlt-doctor applied, from the context or the alert service's audit store; [] without a store (the CLI). */
export function appliedChangesOf(ctx: Pick<CommandContext, 'appliedChanges' | 'alerts'>): AppliedChange[] {
  if (ctx.appliedChanges) return ctx.appliedChanges();
  const store = ctx.alerts?.store;
  return store && typeof store.appliedChanges === 'function' ? store.appliedChanges() : [];
}

/** No pipeline named: fine when the source holds exactly one (a bundle). */
export async function pipelineRef(source: Source, ref: string | null, usage: string): Promise<string> {
  if (ref !== null) return ref;
  const all = await source.listPipelines();
  if (all.length === 1) return all[0]!.id;
  const names = all.slice(0, 3).map((p) => p.name);
  throw badUsage('Which pipeline?', names.length ? `Name one, e.g. ${names.map((n) => `\`${n}\``).join(', ')} (\`pipelines\` lists them all).` : `Usage: ${usage}`);
}

export const whySlow: Command<WhySlowArgs> = {
  meta: {
    name: 'why-slow',
    summary: 'Diagnose the latest (or a given) update: verdict, evidence, ranked fixes, baseline.',
    usage: 'why-slow <pipeline> [--update ID]',
    examples: ['why-slow orders_silver', 'why-slow orders_silver --update 8f2c1e', 'why-slow "Orders Silver"'],
  },
  args,
  async run(a, ctx) {
    ctx.onProgress?.('resolving');
    const ref = await pipelineRef(ctx.source, a.pipeline, whySlow.meta.usage);
    const evidence = await ctx.source.collect(ref, { ...(a.update ? { updateId: a.update } : {}), ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}) });
    ctx.onProgress?.('analysing');
    const diagnosis = diagnose(evidence, { applied: appliedChangesOf(ctx) });
    const durations = [
      ...evidence.history.filter((h) => h.state === 'COMPLETED').map((h) => ({ updateId: h.updateId, durationS: h.durationS, startedAt: h.startedAt })),
      ...(evidence.update.durationS !== null ? [{ updateId: evidence.update.id, durationS: evidence.update.durationS, startedAt: evidence.update.startedAt }] : []),
    ].sort((x, y) => x.startedAt - y.startedAt);
    return { kind: 'diagnosis', diagnosis, pipelineUrl: ctx.source.pipelineUrl(evidence.pipeline.id, evidence.update.id), durations };
  },
};
