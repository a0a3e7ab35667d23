/**
 * `planning_information` events (materialized-view refresh technique and incrementalization
 * issues) → PlanningInfo on the flow. Shape: docs.databricks.com/aws/en/ldp/monitor-event-log-schema.
 */
import type { PlanningIssue } from '../evidence.js';
import type { UpdateAgg } from './agg.js';
import { flowOf } from './flows.js';
import { bool, obj, str, type Obj } from './json.js';

export function planningInformation(u: UpdateAgg, flowName: string | null, t: number, p: Obj | null): void {
  if (!p || !flowName) return;
  const f = flowOf(u, flowName, t);
  if (f.planning !== null && f.planning.t > t) return; // keep the latest plan
  const techniques = Array.isArray(p.technique_information) ? p.technique_information : [];
  let chosen: string | null = null;
  const issues: PlanningIssue[] = [];
  const seen = new Set<string>();
  const addIssues = (list: unknown) => {
    if (!Array.isArray(list)) return;
    for (const raw of list) {
      const i = obj(raw);
      const issueType = str(i?.issue_type);
      if (!i || !issueType) continue;
      const issue: PlanningIssue = {
        issueType,
        preventIncrementalization: bool(i.prevent_incrementalization) ?? false,
        subType:
          str(i.plan_not_incrementalizable_sub_type) ??
          str(i.plan_not_deterministic_sub_type) ??
          str(i.cost_model_rejection_subtype) ??
          null,
        operator: str(i.operator_name) ?? str(i.expression_name) ?? null,
      };
      const key = `${issue.issueType}|${issue.subType}|${issue.operator}|${issue.preventIncrementalization}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
  };
  for (const raw of techniques) {
    const ti = obj(raw);
    if (!ti) continue;
    if (bool(ti.is_chosen) === true) chosen = str(ti.maintenance_type) ?? chosen;
    addIssues(ti.incrementalization_issues);
  }
  addIssues(p.incrementalization_issues);
  f.planning = { t, info: { chosenTechnique: chosen, issues } };
}
