/**
 * Benchmarks and A/B tests, surface-neutral (guide §10; issue 18). `plan` reads the pipeline and
 * its latest update and says what will run and what it should cost, creating nothing; `start`
 * checks the person against the apply allow-list, takes the pipeline's experiment slot (one at a
 * time, across processes: a unique index in the store) and runs it in the background
 * (runner.ts); `cancel` asks it to stop (any process sees the request at its next poll).
 */
import { randomBytes } from 'node:crypto';
import type { ApplyActor } from '../apply/allow-list.js';
import { applyChange, isAppliable, type SettingChange, type Spec } from '../apply/apply-change.js';
import type { RestClient } from '../databricks/rest.js';
import type { AppliedChange } from '../diagnosis/applied-changes.js';
import { diagnose } from '../diagnosis/diagnose.js';
import type { Change } from '../diagnosis/types.js';
import { DoctorError, badUsage, notAllowed } from '../errors.js';
import type { Source } from '../source.js';
import type { ExperimentRow, ExperimentStore } from '../store/experiments.js';
import { echo } from '../util/echo.js';
import { cleanupOrphans } from './cleanup.js';
import { cloneTarget, isUnityCatalog, type ScratchTarget } from './clone-spec.js';
import { dbuRateRatio } from './measure.js';
import { runExperiment } from './runner.js';
import type { ExperimentKind, ExperimentOutcome, ExperimentPlan, ExperimentProgress, Variant } from './types.js';

export const MAX_ITERATIONS = 10;
export const DEFAULT_ITERATIONS = 3;

export interface ExperimentRequest {
  kind: ExperimentKind;
  pipeline: string;
  iterations: number;
  maxDollars: number | null;
  /** ab-test: a recommendation id of the latest diagnosis, or settings */
  recommendationId?: string | null;
  settings?: Change[];
}

export interface StartInput {
  userId: string | null;
  /** who is checked against the allow-list (Teams identities; Slack: { platform: 'slack', userId }) */
  actor: ApplyActor | null;
  surface: string;
  channel: string | null;
  threadTs: string | null;
  onProgress?: (p: ExperimentProgress) => void;
}

export interface ExperimentServiceOptions {
  rest: RestClient;
  source: Source;
  store: ExperimentStore;
  /** the apply allow-list; the CLI passes () => true (the terminal runs on its own Databricks credentials) */
  canRun: (actor: ApplyActor | null) => boolean;
  appliedChanges?: () => AppliedChange[] | Promise<AppliedChange[]>;
  scratch: ScratchTarget;
  now?: () => number;
  pollMs?: number;
  updateTimeoutMs?: number;
  progressEveryMs?: number;
  /** a running experiment whose heartbeat is older than this is an orphan (default 10 min) */
  staleMs?: number;
  settle?: () => Promise<void>;
  logger?: { warn(...m: unknown[]): void };
}

export const CANCEL_REFUSED = 'Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may cancel an experiment.';
export const EXPERIMENT_REFUSED = 'Only the people listed in DLT_DOCTOR_APPLY_ALLOWED_USERS may run benchmarks and A/B tests: they create pipelines and spend compute. Nothing was started.';

const sleeper = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** the settings the diff touches, before and after, for config_a / config_b */
function configs(diff: SettingChange[]): { a: Record<string, string | null>; b: Record<string, string | null> } {
  const a: Record<string, string | null> = {};
  const b: Record<string, string | null> = {};
  for (const d of diff) {
    a[d.key] = d.before;
    b[d.key] = d.after;
  }
  return { a, b };
}

export function createExperimentService(o: ExperimentServiceOptions) {
  const now = o.now ?? Date.now;
  const warn = o.logger?.warn.bind(o.logger) ?? ((...m: unknown[]) => console.warn('[experiment]', ...m));
  const inProcess = new Map<string, { abort: AbortController; done: Promise<ExperimentOutcome> }>();
  const deps = {
    rest: o.rest,
    source: o.source,
    store: o.store,
    scratch: o.scratch,
    now,
    sleep: sleeper,
    pollMs: o.pollMs ?? 15_000,
    updateTimeoutMs: o.updateTimeoutMs ?? 4 * 3_600_000,
    progressEveryMs: o.progressEveryMs ?? 30_000,
    settle: o.settle,
    logger: { warn },
  };

  async function prepare(req: ExperimentRequest) {
    if (!Number.isInteger(req.iterations) || req.iterations < 1 || req.iterations > MAX_ITERATIONS) throw badUsage(`--iterations must be a whole number from 1 to ${MAX_ITERATIONS}.`);
    if (req.maxDollars !== null && !(req.maxDollars > 0)) throw badUsage('--max-dollars must be a positive amount, e.g. --max-dollars 25.');
    const evidence = await o.source.collect(req.pipeline);
    const details = await o.rest.getPipeline(evidence.pipeline.id);
    const spec = details.rawSpec;
    if (!spec) throw new DoctorError('SOURCE_UNAVAILABLE', `Databricks returned no settings for ${evidence.pipeline.name}; it cannot be cloned.`);
    let changes: Change[] = [];
    let recommendationId: string | null = null;
    let recommendationTitle: string | null = null;
    let specB: Spec | null = null;
    let diff: SettingChange[] = [];
    if (req.kind === 'ab-test') {
      if (req.recommendationId) {
        const d = diagnose(evidence, { applied: (await o.appliedChanges?.()) ?? [] });
        const rec = d.recommendations.find((r) => r.id === req.recommendationId);
        const ids = d.recommendations.filter((r) => isAppliable(r.change)).map((r) => r.id);
        if (!rec) {
          throw new DoctorError('BAD_USAGE', `The latest diagnosis of ${evidence.pipeline.name} has no recommendation "${echo(req.recommendationId, 60)}".`, {
            hint: ids.length ? `Fixes an A/B test can try: ${ids.map((i) => `\`${i}\``).join(', ')}; or give settings as key=value.` : 'None of its fixes is a pipeline setting; give settings as key=value (e.g. photon=true).',
            suggestions: ids,
          });
        }
        if (!rec.change || !isAppliable(rec.change)) throw badUsage(`"${rec.title}" is not a pipeline setting, so an A/B test cannot try it${rec.change ? ` (${rec.change.target}: ${rec.change.key})` : ''}.`);
        changes = [rec.change];
        recommendationId = rec.id;
        recommendationTitle = rec.title;
      } else {
        changes = req.settings ?? [];
      }
      if (changes.length === 0) throw badUsage('An A/B test needs the change to try: a recommendation id (e.g. enable-photon) or settings as key=value.');
      let next: Spec = spec;
      for (const c of changes) {
        const r = applyChange(next, c);
        if (!r.ok) throw badUsage(`Variant B cannot be made: ${r.reason}`);
        next = r.spec;
        diff = [...diff, ...r.diff];
      }
      specB = next;
    }
    const variants: Variant[] = req.kind === 'ab-test' ? ['A', 'B'] : ['A'];
    const cost = evidence.cost?.updateDollars ?? null;
    const durationS = evidence.update.durationS;
    const dollarsPerSecond = cost !== null && durationS ? cost / durationS : null;
    const ratioB = specB ? dbuRateRatio(spec, specB) : 1;
    const estimate = cost === null ? null : Math.round(cost * req.iterations * (1 + (specB ? ratioB : 0)) * 100) / 100;
    const sample = cloneTarget(spec, o.scratch, '<id>', req.kind === 'ab-test' ? 'A' : null).fullName;
    const notes: string[] = [];
    if (spec.continuous === true) notes.push('The pipeline is continuous: its clones run triggered, each iteration one full refresh that stops when the data is processed.');
    if (!isUnityCatalog(spec)) notes.push('It publishes to the Hive metastore: the clones get their own schemas and storage, and deleting them is not documented to drop their tables, so dlt-doctor will say what to remove.');
    if (cost === null) notes.push('No billing data for the latest update, so the cost cannot be estimated' + (req.maxDollars !== null ? ' and --max-dollars counts only billed iterations.' : '.'));
    else notes.push('The estimate is the latest update’s cost per run; a full refresh reprocesses all the data and can cost more.');
    const plan: ExperimentPlan = {
      kind: req.kind,
      pipelineId: evidence.pipeline.id,
      pipelineName: evidence.pipeline.name,
      iterations: req.iterations,
      variants,
      scratchTarget: req.kind === 'ab-test' ? sample.replace(/_a$/, '_{a,b}') : sample,
      estimatedDollars: estimate,
      basis: { updateId: evidence.update.id, durationS, dollars: cost },
      maxDollars: req.maxDollars,
      recommendationId,
      recommendationTitle,
      changes,
      diff,
      notes,
    };
    const { a, b } = configs(diff);
    return { plan, specs: { A: spec, ...(specB ? { B: specB } : {}) } as Partial<Record<Variant, Spec>>, configA: a, configB: b, rate: { dollarsPerSecond, ratio: { A: 1, B: ratioB } } };
  }

  const busyMessage = (e: ExperimentRow) =>
    `An experiment (${e.kind} ${e.id}) is already running on ${e.pipelineName}, started${e.createdBy ? ` by ${e.createdBy}` : ''} at ${new Date(e.startedAt).toISOString().slice(11, 16)} UTC. Wait for it, or cancel it with \`${e.kind} cancel ${e.pipelineName}\`.`;

  return {
    canRun: o.canRun,

    /** what would run, its estimated cost and the scratch target; creates nothing */
    async plan(req: ExperimentRequest): Promise<ExperimentPlan> {
      return (await prepare(req)).plan;
    },

    /** starts it in the background; `done` settles with the outcome (never rejects) */
    async start(req: ExperimentRequest, who: StartInput): Promise<{ experimentId: string; plan: ExperimentPlan; done: Promise<ExperimentOutcome> }> {
      if (!o.canRun(who.actor)) {
        throw notAllowed(EXPERIMENT_REFUSED);
      }
      const prepared = await prepare(req);
      const { plan } = prepared;
      const busy = await o.store.runningFor(plan.pipelineId);
      if (busy) throw new DoctorError('CONFLICT', busyMessage(busy));
      const experimentId = randomBytes(3).toString('hex');
      const ok = await o.store.start({ id: experimentId, kind: plan.kind, pipelineId: plan.pipelineId, pipelineName: plan.pipelineName, createdBy: who.userId, surface: who.surface, channel: who.channel, threadTs: who.threadTs, iterations: plan.iterations, maxDollars: plan.maxDollars, plan, startedAt: now() });
      if (!ok) {
        const e = await o.store.runningFor(plan.pipelineId);
        throw new DoctorError('CONFLICT', e ? busyMessage(e) : 'An experiment is already running on this pipeline.');
      }
      await o.store.step(experimentId, now(), 'started', { by: who.userId, surface: who.surface, plan: { iterations: plan.iterations, variants: plan.variants, changes: plan.changes, estimated_dollars: plan.estimatedDollars, max_dollars: plan.maxDollars } });
      const abort = new AbortController();
      const done = runExperiment(deps, { experimentId, plan, specs: prepared.specs, configA: prepared.configA, configB: prepared.configB, rate: prepared.rate, onProgress: who.onProgress, signal: abort.signal })
        .catch(async (err: unknown): Promise<ExperimentOutcome> => {
          // runExperiment handles its own errors; this is a bug path, logged, and the row ended
          warn(`experiment ${experimentId} crashed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
          await o.store.finish(experimentId, { state: 'failed', at: now(), message: 'The experiment failed unexpectedly.', result: null }).catch(() => false);
          return { experimentId, state: 'failed', message: 'The experiment failed unexpectedly.', result: { schema: 'dlt-doctor/benchmark@1', pipeline_id: plan.pipelineId, pipeline_name: plan.pipelineName, clone_pipeline_id: null, iterations: [], avg_duration: null, avg_throughput: null, stdev_duration: null, stdev_throughput: null, total_dollars: null, cost_per_million_records: null }, cleanup: { deleted: [], left: [], notes: [] } };
        })
        .finally(() => inProcess.delete(experimentId));
      inProcess.set(experimentId, { abort, done });
      return { experimentId, plan, done };
    },

    /**
     * Asks the running experiment on `ref` (a pipeline name or id, or an experiment id) to stop:
     * its running update is stopped and its clones deleted. Allowed users only.
     */
    async cancel(ref: string, who: { userId: string | null; actor: ApplyActor | null; /** the bot's own shutdown */ internal?: boolean }): Promise<ExperimentRow> {
      if (!who.internal && !o.canRun(who.actor)) throw notAllowed(CANCEL_REFUSED);
      let e = /^[0-9a-f]{6}$/.test(ref) ? await o.store.get(ref) : null;
      if (!e || e.state !== 'running') {
        const p = await o.source.resolvePipeline(ref).catch(() => null);
        e = p ? await o.store.runningFor(p.id) : null;
      }
      if (!e || e.state !== 'running') throw new DoctorError('BAD_USAGE', `No experiment is running on ${echo(ref, 80)}.`);
      await o.store.requestCancel(e.id, who.userId ?? 'someone');
      await o.store.step(e.id, now(), 'cancel-requested', { by: who.userId });
      inProcess.get(e.id)?.abort.abort();
      return (await o.store.get(e.id))!;
    },

    /** clones a dead process left behind, and deletions that failed before (at start) */
    cleanupOrphans(opts: { staleMs?: number } = {}) {
      return cleanupOrphans({ rest: o.rest, store: o.store, now, sleep: (ms) => sleeper(ms), logger: { warn } }, { inProcess: new Set(inProcess.keys()), staleMs: opts.staleMs ?? o.staleMs ?? 10 * 60_000 });
    },

    /** running experiments of this process (`all`: every one in the store) */
    async running(opts: { all?: boolean } = {}): Promise<ExperimentRow[]> {
      return (await o.store.running()).filter((e) => opts.all || inProcess.has(e.id));
    },

    /** the latest experiments of the store (every process), newest first */
    recent(limit = 10): Promise<ExperimentRow[]> {
      return o.store.recent(limit);
    },

    /** waits for the experiments of this process (graceful stop) */
    async drain(): Promise<void> {
      await Promise.all([...inProcess.values()].map((x) => x.done));
    },
  };
}

export type ExperimentService = ReturnType<typeof createExperimentService>;
