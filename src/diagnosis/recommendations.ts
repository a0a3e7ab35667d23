/**
 * Findings → ranked recommendations, built by the fix catalog (src/diagnosis/fixes/) from the
 * fix requests the rules made. Pure.
 *
 * - one recommendation per fix id: the request of the strongest finding wins;
 * - a builder returning null (already in place, or invalid for this pipeline) drops it;
 * - two changes to the same setting never both appear (the higher impact one stays);
 * - ordered by impact (the fix's own impact × the weight of the finding that asked for it), with the
 *   first recommendation of the verdict's category moved to the front (CONTRACT.md §2).
 */
import { describeApplied, inEffect, keepsChange, latestPerSetting, payOff, payOffPhrase, PAYOFF_MAX_BEFORE, reverses, TIME_WORDS, type AppliedChange, type PayOff } from './applied-changes.js';
import { classify, findingScore } from './classify.js';
import type { Bottleneck, Evidence } from './evidence.js';
import { FIXES_BY_ID } from './fixes/index.js';
import type { FixDefinition, Finding, FixRequest, Recommendation } from './types.js';

interface Candidate {
  request: FixRequest;
  weight: number;
  order: number;
}

/** worker node-type or worker-count changes (the driver has its own: larger-driver) */
const WORKER_FIXES = new Set(['raise-max-workers', 'reduce-max-workers', 'memory-optimized-instances', 'compute-optimized-instances', 'storage-optimized-instances']);
const WORKER_KEYS = /^(node_type_id|num_workers|autoscale\.|instance_pool_id$)/;

function isWorkerChange(r: Recommendation): boolean {
  return WORKER_FIXES.has(r.id) || (r.change?.target === 'cluster' && WORKER_KEYS.test(r.change.key));
}

/** cluster, Spark or pipeline compute settings; code and table properties are not compute */
function isComputeChange(r: Recommendation): boolean {
  return r.change === null ? r.category !== 'planning' || r.id === 'split-pipeline' : r.change.target !== 'code' && r.change.target !== 'table_property';
}

/**
 * Fixes that cannot help or do harm for this diagnosis (issue 12's "forbidden fixes"): any compute
 * change for a failure that is not performance; worker changes when the driver is the problem; more
 * workers on a skewed or idle cluster; compute-optimized nodes (less memory per core, §3.1) for a
 * memory-bound update; cluster or Spark changes on serverless, which has neither.
 */
/**
 * Capacity and structural changes (more or bigger nodes, another node family, a split pipeline,
 * another compute type): asked for only by a warning or critical finding of the verdict's category.
 * An info finding, a secondary category, or any finding of an update with no bottleneck cannot
 * justify new hardware.
 */
const HEAVY_FIXES = new Set([
  'raise-max-workers',
  'compute-optimized-instances',
  'memory-optimized-instances',
  'storage-optimized-instances',
  'larger-driver',
  'split-pipeline',
  'use-serverless',
]);

export function ruledOut(findings: Finding[], evidence: Evidence, verdict: Bottleneck): (r: Recommendation) => boolean {
  const compute = findings.some((f) => f.rulesOut?.includes('compute'));
  const inVerdict = findings.filter((f) => f.category === verdict && f.severity !== 'info');
  const workers = verdict !== 'none' && inVerdict.length > 0 && inVerdict.every((f) => f.rulesOut?.includes('workers'));
  const moreWorkers = findings.some((f) => f.rulesOut?.includes('more-workers'));
  const serverless = evidence.pipeline.spec.serverless;
  return (r) =>
    (compute && isComputeChange(r)) ||
    (workers && isWorkerChange(r)) ||
    (moreWorkers && r.id === 'raise-max-workers') ||
    (verdict === 'memory' && r.id === 'compute-optimized-instances') ||
    (serverless && (r.change?.target === 'cluster' || r.change?.target === 'spark_conf'));
}

/** A fix left out because it would undo a change dlt-doctor applied that has not been shown not to pay off. */
export interface WithheldFix {
  id: string;
  applied: AppliedChange;
  payOff: PayOff;
  /** one line for the diagnosis notes */
  line: string;
}

/**
 * Seconds per million output rows (per update when some lack rows) of the pipeline's completed,
 * incremental updates started before and since `at`: the newest PAYOFF_MAX_BEFORE before, all since.
 */
export function updateTimesAround(evidence: Evidence, at: number): { before: number[]; after: number[]; perRows: boolean } {
  const u = evidence.update;
  const all = [
    ...evidence.history,
    ...(u.durationS !== null ? [{ updateId: u.id, state: u.state, startedAt: u.startedAt, durationS: u.durationS, outputRows: u.outputRows, fullRefresh: u.fullRefresh }] : []),
  ].filter((h) => h.state === 'COMPLETED' && !h.fullRefresh && h.durationS > 0);
  const perRows = all.length > 0 && all.every((h) => h.outputRows !== null && h.outputRows > 0);
  const value = (h: (typeof all)[number]) => (perRows ? (h.durationS / h.outputRows!) * 1e6 : h.durationS);
  const before = all.filter((h) => h.startedAt < at).sort((a, b) => b.startedAt - a.startedAt).slice(0, PAYOFF_MAX_BEFORE).map(value);
  const after = all.filter((h) => h.startedAt >= at).map(value);
  return { before, after, perRows };
}

/**
 * Whether `r` undoes a change dlt-doctor applied to this pipeline that is still in place; then
 * kept only when the updates since were clearly slower than before it (time per million rows:
 * why-slow is about time; the cost side is the digest's, src/digest/applied.ts).
 */
export function reversalOf(r: Recommendation, evidence: Evidence, applied: readonly AppliedChange[]): WithheldFix | null {
  if (!r.change) return null;
  for (const a of applied) {
    if (a.pipelineId !== evidence.pipeline.id || inEffect(a, evidence.pipeline.spec) === false) continue;
    if (!reverses(a, r.change)) continue;
    const t = updateTimesAround(evidence, a.appliedAt);
    const p = payOff(t.before, t.after);
    if (!keepsChange(p)) continue;
    const words = t.perRows ? TIME_WORDS : { ...TIME_WORDS, unit: 'per update' };
    return { id: r.id, applied: a, payOff: p, line: `Not recommending ${r.id}: it would undo what dlt-doctor applied. ${describeApplied(a)}; ${payOffPhrase(p, words)}.` };
  }
  return null;
}

function changeKey(r: Recommendation): string | null {
  return r.change ? `${r.change.target}\u0000${r.change.key}` : null;
}

export function buildRecommendations(
  findings: Finding[],
  evidence: Evidence,
  verdict: Bottleneck = classify(findings, evidence).bottleneck,
  catalog: ReadonlyMap<string, FixDefinition> = FIXES_BY_ID,
  /** changes dlt-doctor applied (the apply audit): a fix undoing one is withheld unless it clearly did not pay off */
  applied: readonly AppliedChange[] = [],
  /** receives the fixes withheld for that */
  withheld?: WithheldFix[],
): Recommendation[] {
  // strongest request per fix id
  const best = new Map<string, Candidate>();
  let order = 0;
  for (const f of findings) {
    // a context finding that still asks for a fix gets a modest weight
    const weight = Math.max(findingScore(f), 0.05);
    // only a finding of the verdict's own category can ask for more or other hardware
    const namesBottleneck = verdict !== 'none' && f.severity !== 'info' && f.category === verdict;
    for (const request of f.fixes) {
      if (!namesBottleneck && HEAVY_FIXES.has(request.id)) continue;
      const prev = best.get(request.id);
      if (!prev || weight > prev.weight) best.set(request.id, { request, weight, order: prev?.order ?? order++ });
    }
  }

  const built: (Recommendation & { order: number })[] = [];
  for (const [id, c] of best) {
    const def = catalog.get(id);
    if (!def) continue; // unknown id: the catalog test catches typos; never crash a diagnosis
    let proposal;
    try {
      proposal = def.build(evidence, c.request.params ?? {});
    } catch {
      continue;
    }
    if (!proposal) continue;
    built.push({
      id,
      category: def.category,
      title: proposal.title ?? def.title,
      why: proposal.why,
      guide_section: def.guideSection,
      change: proposal.change,
      expected_effect: proposal.expected_effect,
      risk: proposal.risk,
      impact: Math.round(Math.min(1, Math.max(0, proposal.impact)) * (0.5 + 0.5 * c.weight) * 1000) / 1000,
      order: c.order,
    });
  }

  built.sort((a, b) => b.impact - a.impact || a.order - b.order || a.id.localeCompare(b.id));
  // Executors killed for memory (exit code 137): more nodes of the same size leave each container
  // as small as it was — the memory overhead (§8.1) goes ahead of any generic scale-up.
  if (best.get('executor-memory-overhead')?.request.params?.exit137 === true) {
    const at = built.findIndex((r) => r.id === 'executor-memory-overhead');
    const scaleUp = built.findIndex((r) => r.id === 'raise-max-workers');
    if (at > 0 && scaleUp >= 0 && scaleUp < at) built.splice(scaleUp, 0, ...built.splice(at, 1));
  }

  // never the reverse of what the bot applied (before the de-duplication, so another fix of the setting may stay)
  const current = latestPerSetting(applied);
  const allowed = built.filter((r) => {
    const w = current.length ? reversalOf(r, evidence, current) : null;
    if (w) withheld?.push(w);
    return w === null;
  });

  // never two different values for the same setting
  const seen = new Set<string>();
  const unique = allowed.filter((r) => {
    const key = changeKey(r);
    if (key === null) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const out = unique.filter((r) => !ruledOut(findings, evidence, verdict)(r));

  if (verdict !== 'none') {
    const i = out.findIndex((r) => r.category === verdict);
    if (i > 0) out.unshift(...out.splice(i, 1));
    // CONTRACT §2: the first recommendation belongs to the verdict's category — without one of its
    // own, other categories' fixes would read as the answer; they stay out.
    if (i < 0) return [];
  }
  return out.map(({ order: _order, ...r }) => r);
}
