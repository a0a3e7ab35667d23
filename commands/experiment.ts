/**
 * What `benchmark` and `ab-test` share (guide §10): their flags, the `cancel` and `list`
 * subcommands, and the run itself. In the terminal the command runs the experiment at once (progress on stderr) and
 * returns its result; in chat it returns the plan — estimated cost, scratch target, the diff of B —
 * with a Start button, and the surface starts it through `ctx.experiments` when an allowed person
 * confirms (src/experiment/service.ts).
 */
import { z } from 'zod';
import { DoctorError, badUsage, notAllowed } from '../src/errors.js';
import { DEFAULT_ITERATIONS, EXPERIMENT_REFUSED, MAX_ITERATIONS, type ExperimentRequest } from '../src/experiment/service.js';
import type { CommandContext, Reply } from './types.js';
import { echo } from '../src/util/echo.js';

export const experimentFlags = {
  iterations: z.string({ error: `needs a number, e.g. --iterations ${DEFAULT_ITERATIONS}` }).optional(),
  'max-dollars': z.string({ error: 'needs an amount, e.g. --max-dollars 25' }).optional(),
};

export function parseIterations(v: string | undefined, fail: (m: string) => never): number {
  if (v === undefined) return DEFAULT_ITERATIONS;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > MAX_ITERATIONS) return fail(`--iterations must be a whole number from 1 to ${MAX_ITERATIONS}, not "${echo(v, 20)}"`);
  return Number(v);
}

export function parseMaxDollars(v: string | undefined, fail: (m: string) => never): number | null {
  if (v === undefined) return null;
  const n = Number(v.replace(/^\$/, ''));
  if (!/^\$?\d+(\.\d+)?$/.test(v) || !(n > 0)) return fail(`--max-dollars must be a positive amount, e.g. 25 (not "${echo(v, 20)}")`);
  return n;
}

/** What both commands' arguments come to: a subcommand, or an experiment to run. */
export type ExperimentArgs = { action: 'cancel'; ref: string } | { action: 'list' } | { action: 'run'; request: ExperimentRequest };

/** `<command> cancel <ref>` and `<command> list` → their args; null when the words are neither */
export function subcommandArgs(command: string, words: string[], fail: (m: string) => never): Exclude<ExperimentArgs, { action: 'run' }> | null {
  if (words[0] === 'list' && words.length === 1) return { action: 'list' };
  if (words[0] !== 'cancel') return null;
  if (words.length !== 2) return fail(`${command} cancel needs the pipeline (or experiment id)`);
  return { action: 'cancel', ref: words[1]! };
}

/** the zod issue reporter both commands' transforms use */
export const failWith = (ctx: z.RefinementCtx) => (message: string): never => {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER as never;
};

/** `<command> list`: the recent experiments, newest first, with how each ended */
export async function listExperiments(ctx: CommandContext): Promise<Reply> {
  if (!ctx.experiments) throw new DoctorError('CONFIG', 'No experiment store here: benchmarks are listed where they run (the bot or the CLI).');
  const rows = await ctx.experiments.recent(10);
  if (rows.length === 0) return { kind: 'text', text: 'No benchmark or A/B test has run here yet. Start one with `benchmark <pipeline>` or `ab-test <pipeline> <fix>`.' };
  const lines = rows.map((e) => {
    const r = (e.result as { result?: { schema?: string; summary?: string; avg_throughput?: number | null } } | null)?.result;
    const what = r?.schema === 'dlt-doctor/ab-test@1' ? r.summary : r?.avg_throughput != null ? `avg ${Math.round(r.avg_throughput).toLocaleString('en-US')} records/s` : '';
    const when = new Date(e.startedAt).toISOString().slice(0, 16).replace('T', ' ');
    return `${e.id}  ${e.kind} ${e.pipelineName} · ${e.state}${e.createdBy ? ` · by ${e.createdBy}` : ''} · ${when} UTC${what ? ` — ${what}` : e.message ? ` — ${e.message}` : ''}`;
  });
  return { kind: 'text', text: ['Recent benchmarks and A/B tests (newest first):', ...lines].join('\n') };
}

/** what both commands run: the subcommand, or the experiment (run now in the terminal, planned in chat) */
export function runExperimentArgs(a: ExperimentArgs, ctx: CommandContext): Promise<Reply> {
  if (a.action === 'cancel') return cancelExperiment(a.ref, ctx);
  if (a.action === 'list') return listExperiments(ctx);
  return runOrPlan(a.request, ctx);
}

/** `cancel <pipeline|experiment id>` */
export async function cancelExperiment(ref: string, ctx: CommandContext): Promise<Reply> {
  if (!ctx.experiments) throw new DoctorError('CONFIG', 'No experiment runs here: cancel it where it was started.');
  const e = await ctx.experiments.cancel(ref, { userId: ctx.userId ?? null, actor: actorOf(ctx) });
  return { kind: 'text', text: `Canceling the ${e.kind} ${e.id} of ${e.pipelineName}: its running update is stopped and its clones are deleted.` };
}

export const actorOf = (ctx: CommandContext) => ctx.applyActor ?? (ctx.userId ? { platform: 'slack' as const, userId: ctx.userId } : null);

/** the terminal runs it now; chat shows the plan with a Start button */
export async function runOrPlan(req: ExperimentRequest, ctx: CommandContext): Promise<Reply> {
  if (!ctx.experiments) throw new DoctorError('CONFIG', 'Benchmarks and A/B tests need the bot’s database (to clean up after a crash); run them from the bot or the CLI against a workspace.');
  if (ctx.surface !== 'cli') {
    if (!ctx.experiments.canRun(actorOf(ctx))) throw notAllowed(EXPERIMENT_REFUSED);
    const plan = await ctx.experiments.plan(req);
    return { kind: 'experiment-plan', plan, request: { ...req, pipeline: plan.pipelineId } };
  }
  const started = await ctx.experiments.start(req, { userId: ctx.userId ?? null, actor: actorOf(ctx), surface: ctx.surface, channel: null, threadTs: null, ...(ctx.onExperimentProgress ? { onProgress: ctx.onExperimentProgress } : {}) });
  ctx.onExperimentStarted?.(started.plan, started.experimentId);
  const outcome = await started.done;
  return { kind: 'experiment-result', plan: started.plan, outcome };
}

export function needPipeline(words: string[], usage: string): string {
  const p = words[0];
  if (!p) throw badUsage('Which pipeline?', `Usage: ${usage}`);
  return p;
}
