/**
 * How a demo run responds to its settings (issue 18): the factor by which the running phase of the
 * replayed template update shrinks when the run starts with other settings than the template ran
 * with, plus a per-run noise, so `benchmark` / `ab-test` on the demo see what the tuning guide says
 * they would see on a real workspace. Pure and deterministic.
 *
 * What the factors are based on (the tuning guide, docs/guide.md):
 * - Photon (§4.2): typical speedups scans/filters 2–3×, aggregations 3–5×, joins 2–4×; §12.1
 *   "Photon enabled: higher DBU rate, 2–8× faster, SQL-heavy workloads". A CPU-bound SQL template
 *   gets 2.4× (the low end: a pipeline is a mix of scans, joins and writes). §4.4: Python UDFs run
 *   in the Python worker, not in Photon, so a python-udf template (by scenario, or whose flow plans
 *   show BatchEvalPython / ArrowEvalPython) gains almost nothing (1.05×).
 *   Templates bound by something else gain only on the share of time that is compute: io 1.3×,
 *   memory 1.2×, network/skew 1.1× (the shuffle or the one hot task dominates), healthy 1.2×;
 *   planning/startup 1.2× on the running phase only — their planning/initialization phases are
 *   before RUNNING and the replay never scales those.
 * - Workers (capacity ratio r = new ÷ old max workers; §3.2 sizing, §3.3 autoscaling): a
 *   template pinned at its ceiling (scaling) or CPU-bound scales almost linearly, r^0.85; a skewed
 *   one not at all (the longest task dominates, §8.3 skewed data); io and memory r^0.5 (more parallel reads /
 *   more memory per stage, but the bottleneck stays); healthy r^0.2 (it was not short of workers).
 *   Clamped to [0.25, 4].
 * - Anything else (spark confs, node types, channels, …) the model does not know: factor 1.0.
 * - Noise: every run's running phase is multiplied by a lognormal factor (σ = 0.04) seeded by the
 *   pipeline id and run number, so identical runs differ by a few percent and a no-effect change is
 *   statistically indistinguishable from none.
 */
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;

export type Verdict = 'cpu' | 'memory' | 'io' | 'network' | 'planning' | 'startup' | 'scaling' | 'backlog' | 'none';

export interface RunModelInput {
  /** the template's scenario `expected` verdict (undefined: a synthetic template) */
  expected?: string;
  /** the template's scenario name, e.g. 'python-udf', 'skew' */
  scenario?: string;
  /** the template's plans run Python UDFs (usesPythonUdf): Photon does not run them (§4.4) */
  pythonUdf?: boolean;
  /** the spec the template update ran with, and the one the new run starts with */
  oldSpec: Json;
  newSpec: Json;
  /** per-run seed, e.g. `${pipelineId}/run/${n}` */
  seed: string;
}

export interface RunModelOutput {
  /** what the running phase's duration is divided by: settings × noise */
  speedup: number;
  /** the settings' part of it (1 when nothing the model knows changed) */
  settings: number;
  /** the Photon and worker parts of `settings` */
  photon: number;
  workers: number;
  /** the run-to-run noise multiplier on the running phase's duration (≈ 1 ± 4%) */
  noise: number;
  /** new ÷ old worker capacity (1 when unknown) */
  ratio: number;
}

export const NOISE_SIGMA = 0.04;
const FACTOR_MIN = 0.25;
const FACTOR_MAX = 4;

/** Photon off → on speedup of the running phase by template kind (§4.2, §4.4, §12.1). */
export function photonSpeedup(expected: string | undefined, scenario: string | undefined, pythonUdf = false): number {
  if (pythonUdf || isPythonUdf(scenario)) return 1.05;
  switch (expected) {
    case 'cpu':
      return 2.4;
    case 'scaling':
    case 'backlog':
      // compute-bound at the ceiling / behind its input: Photon's faster operators help, less than pure CPU
      return 1.5;
    case 'io':
      return 1.3;
    case 'network':
      return 1.1;
    case 'memory':
      return 1.2;
    default:
      // none/healthy, planning, startup, synthetic
      return 1.2;
  }
}

/** Exponent of the worker-capacity ratio by template kind (r^e). */
export function workerExponent(expected: string | undefined, scenario: string | undefined): number {
  if (isSkew(scenario)) return 0;
  switch (expected) {
    case 'cpu':
    case 'scaling':
    case 'backlog':
      return 0.85;
    case 'io':
    case 'memory':
    case 'network':
      return 0.5;
    case 'planning':
    case 'startup':
      return 0.3;
    default:
      return 0.2;
  }
}

export function isPythonUdf(scenario: string | undefined): boolean {
  return typeof scenario === 'string' && /python-udf/i.test(scenario);
}
/**
 * Whether an update's flow plans (flow_definition explain_text) run Python UDFs: BatchEvalPython
 * (row-at-a-time UDFs), ArrowEvalPython (pandas UDFs), the pandas map/group operators — the
 * nodes Photon leaves to the Python worker (guide §4.4; docs/rules/python-udf.md).
 */
export function usesPythonUdf(rows: readonly Json[]): boolean {
  for (const r of rows) {
    if (r.event_type !== 'flow_definition') continue;
    const d = typeof r.details === 'string' ? safeParse(r.details) : r.details;
    const fd = d && typeof d === 'object' ? ((d as Json).flow_definition as Json | undefined) : undefined;
    const plan = typeof fd?.explain_text === 'string' ? fd.explain_text : '';
    if (/\b(BatchEvalPython|ArrowEvalPython|FlatMapGroupsInPandas|MapInPandas|FlatMapCoGroupsInPandas)\b/.test(plan)) return true;
  }
  return false;
}
function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

/** network templates whose cause is skew (src/demo/scenarios/network.ts marketplace_seller_stats) */
export function isSkew(scenario: string | undefined): boolean {
  return typeof scenario === 'string' && /skew/i.test(scenario);
}

export function runModel(i: RunModelInput): RunModelOutput {
  const oldPhoton = photonOf(i.oldSpec);
  const newPhoton = photonOf(i.newSpec);
  const p = photonSpeedup(i.expected, i.scenario, i.pythonUdf === true);
  const photon = !oldPhoton && newPhoton ? p : oldPhoton && !newPhoton ? 1 / p : 1;
  const oldCap = capacity(i.oldSpec);
  const newCap = capacity(i.newSpec);
  const ratio = oldCap && newCap ? newCap / oldCap : 1;
  const workers = ratio === 1 ? 1 : clamp(Math.pow(ratio, workerExponent(i.expected, i.scenario)), FACTOR_MIN, FACTOR_MAX);
  const settings = clamp(photon * workers, FACTOR_MIN, FACTOR_MAX);
  const noise = noiseFactor(i.seed);
  return { speedup: settings / noise, settings, photon, workers, noise, ratio };
}

/** A deterministic lognormal multiplier exp(σ·z), z standard normal from the seed (Box–Muller). */
export function noiseFactor(seed: string, sigma = NOISE_SIGMA): number {
  const h = createHash('sha256').update(`run-noise/${seed}`).digest();
  const u1 = (h.readUInt32BE(0) + 1) / 4_294_967_297;
  const u2 = h.readUInt32BE(4) / 4_294_967_296;
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.exp(sigma * z);
}

/** Photon as a classic cluster runs it: serverless always has it, and no Photon setting to change. */
function photonOf(spec: Json): boolean {
  return spec.photon === true || spec.serverless === true;
}

/** workers the update cluster can use: autoscale.max_workers or num_workers */
export function capacity(spec: Json): number | null {
  const clusters = Array.isArray(spec.clusters) ? (spec.clusters as Json[]) : [];
  const c = clusters.find((x) => x.label === undefined || x.label === 'default' || x.label === 'updates') ?? clusters[0];
  if (!c) return null;
  const auto = c.autoscale && typeof c.autoscale === 'object' ? (c.autoscale as Json) : undefined;
  const n = typeof auto?.max_workers === 'number' ? auto.max_workers : c.num_workers;
  return typeof n === 'number' && n > 0 ? n : null;
}

function clamp(x: number, lo: number, hi: number) {
  return Math.min(hi, Math.max(lo, x));
}
