/**
 * Evidence → Diagnosis. Pure: runs every rule whose inputs are present, turns results into
 * findings, classifies, builds recommendations and the baseline. A rule whose `requires` inputs are
 * missing is skipped and the gap recorded; a rule that throws is skipped with a note, never fatal.
 */
import { computeBaseline } from './baseline.js';
import { classify } from './classify.js';
import type { Evidence, Gap } from './evidence.js';
import { PHASES } from './evidence.js';
import { FIXES_BY_ID } from './fixes/index.js';
import { fillTemplate } from './format.js';
import type { AppliedChange } from './applied-changes.js';
import { buildRecommendations, type WithheldFix } from './recommendations.js';
import type { AnyRule } from './rules/index.js';
import { RULE_LIST } from './rules/index.js';
import type { Diagnosis, Finding, FixDefinition, RuleMeta, WhereTimeWent } from './types.js';
import { SEVERITY_ORDER } from './types.js';

export interface DiagnoseOptions {
  /** defaults to every rule in src/diagnosis/rules/index.ts */
  rules?: readonly AnyRule[];
  /** per-rule option overrides, by rule id */
  ruleOptions?: Record<string, Record<string, unknown>>;
  /** rule ids not to run */
  disable?: readonly string[];
  /** defaults to the merged fix catalog */
  catalog?: ReadonlyMap<string, FixDefinition>;
  /**
   * changes dlt-doctor applied (the apply audit, any pipeline): a fix that would undo one of this
   * pipeline's is withheld, with a note, unless the updates since show it clearly did not pay off
   */
  applied?: readonly AppliedChange[];
}

type Requirement = RuleMeta<unknown, string>['requires'][number];

/** Which gap a missing requirement is reported as; null when the input is always present. */
function missingGap(req: Requirement, e: Evidence): Gap | null {
  switch (req) {
    case 'nodeMetrics':
      return e.nodeMetrics === null || e.nodeMetrics.length === 0 ? 'node_metrics' : null;
    case 'clusterResources':
      return e.clusterResources.length === 0 ? 'cluster_resources' : null;
    case 'flows':
      return e.flows.length === 0 ? 'event_details' : null;
    case 'history':
      return e.history.length === 0 ? 'history' : null;
    case 'spec':
    case 'errors':
      return null;
  }
}

const GAP_WORDS: Record<Gap, string> = {
  node_metrics: 'node metrics (system.compute.node_timeline)',
  event_details: 'flow metrics (event log details)',
  cluster_resources: 'cluster_resources events',
  history: 'earlier updates',
  cost: 'billing data',
  flow_definitions: 'flow definitions',
  updates_api: 'the updates API',
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.strength - a.strength || a.rule.localeCompare(b.rule),
  );
}

export function runRules(evidence: Evidence, options: DiagnoseOptions = {}): { findings: Finding[]; gaps: Gap[]; notes: string[] } {
  const rules = options.rules ?? RULE_LIST;
  const disabled = new Set(options.disable ?? []);
  const gaps: Gap[] = [...evidence.gaps];
  const skipped = new Map<Gap, string[]>();
  const notes: string[] = [];
  const findings: Finding[] = [];

  for (const rule of rules) {
    const { meta } = rule;
    if (disabled.has(meta.id)) continue;
    const missing = meta.requires.map((r) => missingGap(r, evidence)).filter((g): g is Gap => g !== null);
    if (missing.length) {
      for (const g of missing) {
        if (!gaps.includes(g)) gaps.push(g);
        skipped.set(g, [...(skipped.get(g) ?? []), meta.id]);
      }
      continue;
    }
    let results;
    try {
      results = rule.run(evidence, options.ruleOptions?.[meta.id]);
    } catch (err) {
      notes.push(`Rule ${meta.id} could not run: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const r of results) {
      const template = (meta.messages as Record<string, string>)[r.messageId] ?? r.messageId;
      findings.push({
        rule: meta.id,
        category: meta.category,
        severity: r.severity ?? meta.severity,
        title: fillTemplate(template, r.data),
        strength: Math.min(1, Math.max(0, Number.isFinite(r.strength) ? r.strength : 0)),
        evidence: r.evidence,
        fixes: r.fixes,
        ...(r.rulesOut?.length ? { rulesOut: r.rulesOut } : {}),
      });
    }
  }
  for (const [gap, ids] of skipped) {
    notes.push(`Without ${GAP_WORDS[gap]}, these checks did not run: ${ids.join(', ')}.`);
  }
  return { findings: sortFindings(findings), gaps, notes };
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The top flows of the update's timeline (build-evidence/dag.ts), for every surface and --json. */
export function whereTimeWent(evidence: Evidence, top = 5): WhereTimeWent | null {
  const tl = evidence.timeline;
  if (tl === null || tl.flows.length === 0) return null;
  return {
    running_s: r1(tl.runningS),
    critical_path_s: r1(tl.criticalPathS),
    from_definitions: tl.fromDefinitions,
    flows: tl.flows.slice(0, top).map((f) => ({
      flow: f.name,
      duration_s: r1(f.durationS),
      critical_s: r1(f.criticalS),
      share: Math.round(f.share * 1000) / 1000,
      critical: f.critical,
    })),
  };
}

export function diagnose(evidence: Evidence, options: DiagnoseOptions = {}): Diagnosis {
  const { findings, gaps, notes } = runRules(evidence, options);
  // classify and recommend against the gaps the run discovered too
  const seen: Evidence = gaps.length === evidence.gaps.length ? evidence : { ...evidence, gaps };
  const first = classify(findings, seen);
  const withheld: WithheldFix[] = [];
  const recommendations = buildRecommendations(findings, seen, first.bottleneck, options.catalog ?? FIXES_BY_ID, options.applied ?? [], withheld);
  // the summary names the top fixes in the order they are recommended
  const verdict =
    first.bottleneck === 'none'
      ? first
      : classify(findings, seen, { actions: recommendations.filter((r) => r.category === first.bottleneck).map((r) => r.id) });
  const base = computeBaseline(evidence);
  const u = evidence.update;
  // CONTRACT §2: the five phases are always there (0 when the update never entered one)
  const phases: Record<string, number> = { queued: 0, waiting_for_resources: 0, initializing: 0, setting_up_tables: 0, running: 0 };
  for (const p of PHASES) {
    const v = u.phasesS[p];
    if (v !== undefined && Number.isFinite(v)) phases[p] = Math.round(v * 10) / 10;
  }
  return {
    pipeline: { id: evidence.pipeline.id, name: evidence.pipeline.name, ...(evidence.pipeline.spec.continuous ? { continuous: true as const } : {}), ...(evidence.pipeline.spec.serverless ? { serverless: true as const } : {}) },
    update: {
      id: u.id,
      state: u.state,
      cause: u.cause,
      full_refresh: u.fullRefresh,
      started_at: iso(u.startedAt)!,
      ended_at: iso(u.endedAt),
      duration_s: u.durationS === null ? null : Math.round(u.durationS * 10) / 10,
      phases_s: phases,
    },
    verdict,
    findings,
    recommendations,
    baseline: base ? { updates: base.updates, median_duration_s: base.median_duration_s, duration_ratio: base.duration_ratio } : null,
    where_time_went: whereTimeWent(evidence),
    gaps: [...gaps],
    notes: [...evidence.notes, ...notes, ...withheld.map((w) => w.line)],
    ...(evidence.window
      ? { window: { from: iso(evidence.window.from)!, to: iso(evidence.window.to)!, minutes: evidence.window.minutes, requested: evidence.window.requested } }
      : {}),
  };
}
