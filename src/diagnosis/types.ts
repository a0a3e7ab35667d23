import type { z } from 'zod';
import type { Bottleneck, Category, Evidence } from './evidence.js';

export type Severity = 'critical' | 'warning' | 'info';
export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/** One measured fact behind a finding (CONTRACT.md §2 `findings[].evidence[]`). */
export interface EvidenceItem {
  metric: string;
  value: number | string;
  unit: string;
  threshold: number | string | null;
  source: string; // e.g. "event_log:cluster_resources", "system.compute.node_timeline", "pipeline.spec"
}

/** A fix the finding asks for; `params` feed the recommendation catalog (computed values). */
export interface FixRequest {
  id: string; // a key of RECOMMENDATIONS in recommendations.ts
  params?: Record<string, string | number | boolean>;
}

/** What a rule's `check` returns: a message id with data, never formatted output. */
export interface RuleResult<M extends string = string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** overrides meta.severity when the evidence is stronger or weaker than usual */
  severity?: Severity;
  /** 0..1: how far past its threshold the evidence is; used to rank findings and the verdict */
  strength: number;
  evidence: EvidenceItem[];
  fixes: FixRequest[];
  /** kinds of fix this finding shows cannot help (recommendations.ts drops them); internal */
  rulesOut?: RuledOut[];
}

/**
 * - `compute`: no cluster, Spark or compute setting helps (an update that failed on permissions,
 *   a missing table, a schema or analysis error);
 * - `workers`: the problem is the driver — no worker node type or worker count change;
 * - `more-workers`: adding workers does not help (skew, idle cluster).
 */
export type RuledOut = 'compute' | 'workers' | 'more-workers';

export interface RuleMeta<O, M extends string> {
  id: string;
  /** 'none' for context rules (regression, failure) that never name the bottleneck themselves */
  category: Bottleneck;
  severity: Severity;
  description: string;
  /** section of the tuning guide (docs/guide.md), or "docs" when a Databricks doc is the source */
  guideSection: string;
  /** Databricks documentation behind the rule, when not (only) the guide */
  docUrl?: string;
  /** what the rule needs; when absent the rule returns nothing and the diagnosis lists the gap */
  requires: ReadonlyArray<'nodeMetrics' | 'clusterResources' | 'flows' | 'history' | 'spec' | 'errors'>;
  options: z.ZodType<O>;
  defaults: O;
  messages: Record<M, string>;
}

export interface Rule<O = unknown, M extends string = string> {
  meta: RuleMeta<O, M>;
  check(evidence: Evidence, options: O): RuleResult<M>[];
}

/** Merges default options so rule bodies never see `undefined` (typescript-eslint's createRule idea). */
export function defineRule<O extends object, M extends string>(rule: {
  meta: RuleMeta<O, M>;
  check(evidence: Evidence, options: O): RuleResult<M>[];
}): Rule<O, M> & { run(evidence: Evidence, overrides?: Partial<O>): RuleResult<M>[] } {
  return {
    ...rule,
    run(evidence, overrides) {
      return rule.check(evidence, { ...rule.meta.defaults, ...overrides });
    },
  };
}

export interface Finding {
  rule: string;
  category: Bottleneck;
  severity: Severity;
  title: string;
  strength: number;
  evidence: EvidenceItem[];
  fixes: FixRequest[];
  rulesOut?: RuledOut[];
}

export interface Change {
  target: 'pipeline' | 'cluster' | 'spark_conf' | 'table_property' | 'code';
  key: string;
  value: string;
}

export interface Recommendation {
  id: string;
  category: Category;
  title: string;
  why: string;
  guide_section: string;
  change: Change | null;
  expected_effect: string;
  risk: string;
  /** 0..1 used to order recommendations; not part of the JSON contract */
  impact: number;
}

export interface Verdict {
  bottleneck: Bottleneck;
  confidence: number;
  summary: string;
}

export interface Baseline {
  updates: number;
  median_duration_s: number;
  duration_ratio: number | null;
}

/** Where the time went (docs/contract.md §2, additive in @1): the flows that took the running phase. */
export interface WhereTimeWent {
  running_s: number;
  critical_path_s: number;
  /** the DAG came from flow_definition events; false = from timing alone */
  from_definitions: boolean;
  /** the top flows by share of the running phase (at most 5) */
  flows: { flow: string; duration_s: number; critical_s: number; share: number; critical: boolean }[];
}

export interface Diagnosis {
  /**
   * `continuous` only when true: such a pipeline has no duration baseline (its streams are judged on a
   * recent window); `serverless` only when true: it has no cluster_resources events or node metrics
   */
  pipeline: { id: string; name: string; continuous?: true; serverless?: true };
  update: {
    id: string;
    state: string;
    cause: string | null;
    full_refresh: boolean;
    started_at: string;
    ended_at: string | null;
    duration_s: number | null;
    phases_s: Record<string, number>;
  };
  verdict: Verdict;
  findings: Finding[];
  recommendations: Recommendation[];
  baseline: Baseline | null;
  where_time_went: WhereTimeWent | null;
  gaps: string[];
  notes: string[];
  /** the part of the update the flow metrics and samples cover; absent: all of it (EvidenceWindow) */
  window?: DiagnosisWindow;
}

export interface DiagnosisWindow {
  from: string;
  to: string;
  minutes: number;
  /** true: `--window` asked for it; false: the default for a running continuous update */
  requested: boolean;
}

/** What a fix builder returns; `null` when the change is already in place or would be invalid. */
export interface FixProposal {
  title?: string;
  why: string;
  change: Change | null;
  expected_effect: string;
  risk: string;
  /** 0..1, orders recommendations */
  impact: number;
}

/** An entry of the recommendation catalog (src/diagnosis/fixes/*.ts). */
export interface FixDefinition {
  id: string;
  category: Category;
  title: string;
  /** section(s) of the tuning guide (docs/guide.md), or "docs" when a Databricks doc is the source */
  guideSection: string;
  /** the Databricks documentation behind the fix; required when guideSection is "docs" (test/diagnosis/catalog.test.ts) */
  docUrl?: string;
  build(evidence: Evidence, params: Record<string, string | number | boolean>): FixProposal | null;
}
