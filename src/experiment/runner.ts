/**
 * One experiment, start to end (guide §10.1 and §10.3): create the clones, run full-refresh
 * updates interleaved A1 B1 A2 B2 … (so drift in the source data or the cloud hits both variants
 * alike), wait for each, measure it, and delete the clones whatever happens — success, a failed
 * update, a cancel, the cost cap, an error. Every step is written to the store (the audit), and
 * each clone is recorded the moment its id is known, so a process that dies mid-way leaves a
 * record that the next start cleans up (cleanup.ts).
 */
import type { RestClient } from '../databricks/rest.js';
import type { Source } from '../source.js';
import type { ExperimentStore } from '../store/experiments.js';
import { cloneSpec, cloneTarget, type ScratchTarget } from './clone-spec.js';
import { iterationFrom, measured, type CostRate } from './measure.js';
import { abTestResult, benchmarkResult } from './results.js';
import { deleteClone } from './cleanup.js';
import type { ExperimentOutcome, ExperimentPlan, ExperimentProgress, ExperimentState, IterationResult, Variant } from './types.js';
import type { Spec } from '../apply/apply-change.js';
import { DoctorError } from '../errors.js';

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);
/** consecutive failed polls of a running update before the experiment gives up */
export const MAX_POLL_FAILURES = 5;
const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replace(/\s+/g, ' ');

export interface RunnerDeps {
  rest: RestClient;
  source: Source;
  store: ExperimentStore;
  scratch: ScratchTarget;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** between polls of a running update (live default 15 s) */
  pollMs: number;
  /** an update that has not ended after this is stopped and the experiment fails */
  updateTimeoutMs: number;
  /** how often a running update's progress is reported, at most */
  progressEveryMs: number;
  /** waits until rows written so far are readable (the demo warehouse); live: none */
  settle?: () => Promise<void>;
  logger: { warn(...m: unknown[]): void };
}

export interface RunInput {
  experimentId: string;
  plan: ExperimentPlan;
  /** the pipeline's spec as read (A), and with the change (B) */
  specs: Partial<Record<Variant, Spec>>;
  configA: Record<string, string | null>;
  configB: Record<string, string | null>;
  rate: { dollarsPerSecond: number | null; ratio: Record<Variant, number> };
  onProgress?: (p: ExperimentProgress) => void;
  /** aborts sleeps at once when a cancel is asked in this process */
  signal?: AbortSignal;
}

class Stop extends Error {
  constructor(
    readonly state: Exclude<ExperimentState, 'running' | 'completed'>,
    message: string,
  ) {
    super(message);
  }
}

export async function runExperiment(d: RunnerDeps, r: RunInput): Promise<ExperimentOutcome> {
  const { plan, experimentId: id } = r;
  const started = d.now();
  const audit = async (step: string, detail: unknown = null) => {
    try {
      await d.store.step(id, d.now(), step, detail);
    } catch (err) {
      d.logger.warn(`experiment ${id}: audit of ${step} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const clones = new Map<Variant, string>();
  const results: Record<Variant, IterationResult[]> = { A: [], B: [] };
  const total = plan.iterations * plan.variants.length;
  let spent = 0;
  let done = 0;
  let lastProgress = 0;
  const progress = (p: Pick<ExperimentProgress, 'step' | 'variant' | 'iteration'> & { updateElapsedMs?: number | null }, force = true) => {
    const t = d.now();
    if (!force && t - lastProgress < d.progressEveryMs) return;
    lastProgress = t;
    try {
      r.onProgress?.({ experimentId: id, kind: plan.kind, pipelineName: plan.pipelineName, iterations: plan.iterations, done, total, elapsedMs: t - started, spentDollars: Math.round(spent * 100) / 100, maxDollars: plan.maxDollars, updateElapsedMs: p.updateElapsedMs ?? null, step: p.step, variant: p.variant, iteration: p.iteration });
    } catch (err) {
      d.logger.warn(`experiment ${id}: progress callback failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const cancelled = async () => {
    const by = await d.store.cancelRequested(id);
    if (by) throw new Stop('canceled', `Canceled by ${by}.`);
  };
  const heartbeat = () => d.store.heartbeat(id, d.now());

  let state: Exclude<ExperimentState, 'running'> = 'completed';
  let message: string | null = null;
  try {
    // 1. the clones
    progress({ step: 'creating', variant: null, iteration: null });
    for (const v of plan.variants) {
      await cancelled();
      const spec = r.specs[v]!;
      const variant = plan.kind === 'ab-test' ? v : null;
      const body = cloneSpec(spec, { pipelineName: plan.pipelineName, variant, experimentId: id, scratch: d.scratch });
      const target = cloneTarget(spec, d.scratch, id, variant).fullName;
      const { pipeline_id } = await d.rest.createPipeline(body);
      await d.store.addClone(id, variant, pipeline_id, target, d.now());
      clones.set(v, pipeline_id);
      await audit('clone-created', { variant, clone_id: pipeline_id, target });
    }
    // 2. interleaved iterations
    for (let i = 1; i <= plan.iterations; i++) {
      for (const v of plan.variants) {
        await cancelled();
        await heartbeat();
        const clone = clones.get(v)!;
        const variant = plan.kind === 'ab-test' ? v : null;
        const { update_id } = await d.rest.startUpdate(clone, { full_refresh: true });
        await audit('update-started', { variant, iteration: i, clone_id: clone, update_id });
        const startedAt = d.now();
        progress({ step: 'running', variant, iteration: i, updateElapsedMs: 0 });
        const rate: CostRate = { dollarsPerSecond: r.rate.dollarsPerSecond, rateRatio: r.rate.ratio[v] };
        let final: string;
        try {
          final = await waitForUpdate(clone, update_id, startedAt, async (elapsedMs) => {
            progress({ step: 'running', variant, iteration: i, updateElapsedMs: elapsedMs }, false);
            await heartbeat();
            await cancelled();
            // the cap counts the running update at its estimated rate, so it stops before overshooting
            if (plan.maxDollars !== null && rate.dollarsPerSecond !== null && spent + (elapsedMs / 1000) * rate.dollarsPerSecond * rate.rateRatio >= plan.maxDollars) {
              throw new Stop('capped', `Stopped at the --max-dollars cap of $${plan.maxDollars.toFixed(2)} (about $${(spent + (elapsedMs / 1000) * rate.dollarsPerSecond * rate.rateRatio).toFixed(2)} spent).`);
            }
          });
        } catch (err) {
          // the update is still running: stop it before the clone is deleted
          await d.rest.stopPipeline(clone).catch(() => undefined);
          await audit('update-stopped', { variant, iteration: i, update_id, reason: err instanceof Error ? err.message : String(err) });
          throw err;
        }
        const { row, error } = await measure(clone, update_id, i, rate);
        results[v].push(row);
        done += 1;
        spent += row.dollars ?? 0;
        await audit('update-measured', { variant, ...row });
        progress({ step: 'measured', variant, iteration: i });
        if (final !== 'COMPLETED') {
          // the clone (and its event log) is deleted next: the error is kept in the message
          throw new Stop('failed', `The full refresh of ${variant ? `${variant} ` : ''}iteration ${i} ended ${final}${error ? `: ${error}` : ''}. A full refresh reprocesses everything; \`why-slow\` on the pipeline shows whether its own updates fail the same way.`);
        }
        const more = i < plan.iterations || v !== plan.variants[plan.variants.length - 1];
        if (more && plan.maxDollars !== null && spent >= plan.maxDollars) {
          throw new Stop('capped', `Stopped at the --max-dollars cap of $${plan.maxDollars.toFixed(2)} ($${spent.toFixed(2)} spent).`);
        }
      }
    }
  } catch (err) {
    if (err instanceof Stop) {
      state = err.state;
      message = err.message;
    } else {
      state = 'failed';
      message = err instanceof DoctorError ? err.message : 'The experiment failed unexpectedly; the clones are being deleted.';
      if (!(err instanceof DoctorError)) d.logger.warn(`experiment ${id} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    await audit(state, message);
  }

  // 3. cleanup, always
  progress({ step: 'cleaning', variant: null, iteration: null });
  const cleanup = { deleted: [] as string[], left: [] as string[], notes: [] as string[] };
  for (const [v, clone] of clones) {
    const spec = r.specs[v]!;
    const target = cloneTarget(spec, d.scratch, id, plan.kind === 'ab-test' ? v : null);
    const c = await deleteClone(d, { experimentId: id, cloneId: clone, target });
    if (c.deleted) cleanup.deleted.push(clone);
    else cleanup.left.push(clone);
    cleanup.notes.push(...c.notes);
  }
  await audit('cleanup', cleanup);

  const pipeline = { id: plan.pipelineId, name: plan.pipelineName };
  const a = benchmarkResult(pipeline, clones.get('A') ?? null, results.A);
  const result = plan.kind === 'benchmark'
    ? a
    : abTestResult({ pipeline, a, b: benchmarkResult(pipeline, clones.get('B') ?? null, results.B), configA: r.configA, configB: r.configB, recommendationId: plan.recommendationId, changes: plan.changes });
  await d.store.finish(id, { state, at: d.now(), message, result: { result, cleanup } });
  return { experimentId: id, state, message, result, cleanup };

  async function waitForUpdate(clone: string, updateId: string, startedAt: number, tick: (elapsedMs: number) => Promise<void>): Promise<string> {
    // a benchmark runs for hours: a Databricks hiccup (the REST client's retries spent) is tried
    // again at the next poll, and only MAX_POLL_FAILURES in a row end the experiment
    let failures = 0;
    for (;;) {
      let s: string;
      try {
        s = String((await d.rest.getUpdate(clone, updateId, { fresh: true })).state ?? '');
        failures = 0;
      } catch (err) {
        if (!(err instanceof DoctorError && err.code === 'SOURCE_UNAVAILABLE') || ++failures >= MAX_POLL_FAILURES) throw err;
        d.logger.warn(`experiment ${id}: reading update ${updateId} failed (${failures} in a row), trying again: ${err.message}`);
        s = 'UNKNOWN';
      }
      if (TERMINAL.has(s)) return s;
      const elapsed = d.now() - startedAt;
      if (elapsed > d.updateTimeoutMs) throw new Stop('failed', `The update ran longer than ${Math.round(d.updateTimeoutMs / 60_000)} min and was stopped.`);
      await tick(elapsed);
      await d.sleep(d.pollMs, r.signal);
    }
  }

  /** the update's evidence once its terminal event is readable (the event log may trail the API) */
  async function measure(clone: string, updateId: string, iteration: number, rate: CostRate): Promise<{ row: IterationResult; error: string | null }> {
    let last: Awaited<ReturnType<Source['collect']>> | null = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      await d.settle?.();
      last = await d.source.collect(clone, { updateId, fresh: true });
      if (measured(last)) break;
      await d.sleep(Math.min(d.pollMs, 2000) * (attempt + 1), r.signal);
    }
    const fatal = last!.errors.find((e) => e.fatal) ?? last!.errors[0];
    const error = fatal ? truncate(fatal.exceptions[0] ? `${fatal.exceptions[0].className}: ${fatal.exceptions[0].message}` : fatal.message, 300) : null;
    return { row: iterationFrom(last!, iteration, rate), error };
  }
}
