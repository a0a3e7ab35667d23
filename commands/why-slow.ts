import { z } from 'zod';
import { diagnose } from '../src/diagnosis/diagnose.js';
import { badUsage } from '../src/errors.js';
import type { Source } from '../src/source.js';
import type { AppliedChange } from '../src/diagnosis/applied-changes.js';
import type { Command, CommandContext } from './types.js';

export interface WhySlowArgs {
  pipeline: string | null;
  update: string | null;
  /** minutes (`--window`) */
  window?: number | null;
}

/** `--window`: the update's last N minutes read for flow metrics and samples (issue 16) */
export const WINDOW_MIN_MINUTES = 5;
export const WINDOW_MAX_MINUTES = 30 * 24 * 60;
const WINDOW_UNITS: Record<string, number> = { m: 1, min: 1, h: 60, d: 1440 };

/** "90", "90m", "8h", "2d" → minutes; null when it is not one of those */
export function parseWindowMinutes(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)?$/i.exec(v.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * WINDOW_UNITS[(m[2] ?? 'm').toLowerCase()]!;
  return Number.isFinite(minutes) ? Math.round(minutes) : null;
}

const windowArg = z
  .union([z.string(), z.number().transform(String)], { error: 'needs a length, e.g. --window 8h or --window 90 (minutes)' })
  .transform((v, ctx) => {
    const minutes = parseWindowMinutes(v);
    if (minutes === null || minutes < WINDOW_MIN_MINUTES || minutes > WINDOW_MAX_MINUTES) {
      ctx.addIssue({ code: 'custom', message: `needs a length between ${WINDOW_MIN_MINUTES} minutes and 30 days, e.g. --window 8h or --window 90 (minutes)` });
      return z.NEVER;
    }
    return minutes;
  });

export const args = z
  .strictObject({
    _: z.array(z.string().min(1)).max(1, 'give one pipeline (quote a name with spaces)'),
    update: z.string({ error: 'needs an update id' }).min(1).optional(),
    window: windowArg.optional(),
  })
  .transform((v): WhySlowArgs => ({ pipeline: v._[0] ?? null, update: v.update ?? null, window: v.window ?? null }));

/** The changes dlt-doctor applied, from the context or the alert service's audit store; [] without a store (the CLI). */
export async function appliedChangesOf(ctx: Pick<CommandContext, 'appliedChanges' | 'alerts'>): Promise<AppliedChange[]> {
  if (ctx.appliedChanges) return ctx.appliedChanges();
  const store = ctx.alerts?.store;
  return store && typeof store.appliedChanges === 'function' ? await store.appliedChanges() : [];
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
    usage: 'why-slow <pipeline> [--update ID] [--window 8h]',
    examples: ['why-slow orders_silver', 'why-slow orders_silver --update 8f2c1e', 'why-slow "Orders Silver"', 'why-slow telemetry_stream --window 2h'],
  },
  args,
  async run(a, ctx) {
    ctx.onProgress?.('resolving');
    const ref = await pipelineRef(ctx.source, a.pipeline, whySlow.meta.usage);
    const evidence = await ctx.source.collect(ref, {
      ...(a.update ? { updateId: a.update } : {}),
      ...(a.window != null ? { windowMinutes: a.window } : {}),
      ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
    });
    ctx.onProgress?.('analysing');
    const diagnosis = diagnose(evidence, { applied: await appliedChangesOf(ctx) });
    const durations = [
      ...evidence.history.filter((h) => h.state === 'COMPLETED').map((h) => ({ updateId: h.updateId, durationS: h.durationS, startedAt: h.startedAt })),
      ...(evidence.update.durationS !== null ? [{ updateId: evidence.update.id, durationS: evidence.update.durationS, startedAt: evidence.update.startedAt }] : []),
    ].sort((x, y) => x.startedAt - y.startedAt);
    const diagnosedAt = ctx.now().getTime();
    // the pipeline list shows it beside Databricks' health (issue 17 item 2); a store that cannot be
    // written must not cost the user the diagnosis
    try {
      await ctx.alerts?.store.recordVerdict({ pipelineId: diagnosis.pipeline.id, updateId: diagnosis.update.id, bottleneck: diagnosis.verdict.bottleneck, confidence: diagnosis.verdict.confidence, at: diagnosedAt });
    } catch {
      /* the verdict is a convenience; the diagnosis stands */
    }
    return { kind: 'diagnosis', diagnosis, pipelineUrl: ctx.source.pipelineUrl(evidence.pipeline.id, evidence.update.id), durations, diagnosedAt };
  },
};
