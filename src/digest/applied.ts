/**
 * The cost side of "never undo what dlt-doctor applied" (issue 13 item 6): a savings opportunity
 * that would reverse a change the bot applied (the apply audit, src/diagnosis/applied-changes.ts —
 * the same `reverses` / `payOff` / `keepsChange` as why-slow) is withheld, with a note, unless the
 * updates since the change were clearly costlier per million output rows than the ones before it.
 *
 * The per-update cost comes from ONE statement (digest-updates.sql: billed dollars of each update's
 * usage rows, output rows and state from the event log), run only when some opportunity would
 * reverse an applied change that is still in place; a digest without one stays at 4 statements.
 */
import { z } from 'zod';
import {
  COST_WORDS,
  describeApplied,
  inEffect,
  keepsChange,
  latestPerSetting,
  payOff,
  payOffPhrase,
  PAYOFF_MAX_BEFORE,
  reverses,
  type AppliedChange,
  type PayOff,
  type ProposedChange,
} from '../diagnosis/applied-changes.js';
import type { PipelineInfo } from '../diagnosis/evidence.js';
import type { Warehouse } from '../databricks/sql.js';
import { num } from './utilization.js';
import type { Opportunity, WithheldAdvice } from './types.js';

/** how far before the oldest applied change digest-updates reads, for the updates before it */
export const BEFORE_LOOKBACK_DAYS = 30;

/**
 * The settings an opportunity's advice would change, as apply would write them. `spot` changes the
 * cluster's availability, which apply does not write: nothing the bot applied can be its reverse.
 */
export function proposedChangesOf(o: Opportunity, spec: PipelineInfo | undefined): ProposedChange[] {
  switch (o.kind) {
    case 'photon':
      return [{ target: 'pipeline', key: 'photon', value: 'false' }];
    case 'right-size': {
      const c = spec?.spec.clusters.find((x) => x.label === 'updates') ?? spec?.spec.clusters.find((x) => x.label === 'default') ?? spec?.spec.clusters[0];
      return [{ target: 'cluster', key: c?.autoscale ? 'autoscale.max_workers' : 'num_workers', direction: 'down' }];
    }
    case 'triggered':
    case 'idle-continuous':
      return [{ target: 'pipeline', key: 'continuous', value: 'false' }];
    case 'development-mode':
      return [{ target: 'pipeline', key: 'development', value: 'false' }];
    case 'spot':
      return [];
  }
}

const UpdateRow = z.object({
  pipeline_id: z.string().min(1),
  update_id: z.string().min(1),
  started_at: z.union([z.date(), z.string(), z.number()]).transform((v) => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v))),
  output_rows: num,
  completed: num.transform((v) => (v ?? 0) > 0),
  full_refresh: num.transform((v) => (v ?? 0) > 0),
  dollars: num.transform((v) => v ?? 0),
});
type UpdateRow = z.infer<typeof UpdateRow>;

/**
 * Dollars per million output rows (per update when some lack rows) of the pipeline's completed,
 * incremental, billed updates started before and since `at`: the newest PAYOFF_MAX_BEFORE before,
 * all since up to the period's end.
 */
export function updateCostsAround(rows: readonly UpdateRow[], at: number, until: number): { before: number[]; after: number[]; perRows: boolean } {
  const all = rows.filter((r) => r.completed && !r.full_refresh && r.dollars > 0 && Number.isFinite(r.started_at) && r.started_at < until);
  const perRows = all.length > 0 && all.every((r) => r.output_rows !== null && r.output_rows > 0);
  const value = (r: UpdateRow) => (perRows ? (r.dollars / r.output_rows!) * 1e6 : r.dollars);
  const before = all.filter((r) => r.started_at < at).sort((a, b) => b.started_at - a.started_at).slice(0, PAYOFF_MAX_BEFORE).map(value);
  const after = all.filter((r) => r.started_at >= at).map(value);
  return { before, after, perRows };
}

/** An opportunity left out of the digest because it would undo a change dlt-doctor applied. */
export interface WithheldOpportunity {
  advice: WithheldAdvice;
  payOff: PayOff;
  /** the digest note */
  line: string;
}

export interface ReversalCheck {
  /** the opportunities to show: those undoing nothing, and reversals of changes that clearly did not pay off (with the reason in `why`) */
  kept: Opportunity[];
  withheld: WithheldOpportunity[];
}

/**
 * Splits `opportunities` into those shown and those withheld because they would undo a change
 * dlt-doctor applied that is still in place and has not clearly failed to pay off on cost.
 */
export async function checkReversals(
  warehouse: Warehouse,
  opportunities: readonly Opportunity[],
  specs: ReadonlyMap<string, PipelineInfo>,
  applied: readonly AppliedChange[],
  periodEnd: Date,
): Promise<ReversalCheck> {
  const current = latestPerSetting(applied);
  const undoing = new Map<Opportunity, AppliedChange>();
  for (const o of opportunities) {
    const spec = specs.get(o.pipeline.id);
    const proposed = proposedChangesOf(o, spec);
    const a = current.find((c) => c.pipelineId === o.pipeline.id && c.appliedAt < periodEnd.getTime() && inEffect(c, spec?.spec) !== false && proposed.some((p) => reverses(c, p)));
    if (a) undoing.set(o, a);
  }
  if (undoing.size === 0) return { kept: [...opportunities], withheld: [] };

  const changes = [...undoing.values()];
  const ids = [...new Set(changes.map((c) => c.pipelineId))].sort();
  const since = new Date(Math.min(...changes.map((c) => c.appliedAt)) - BEFORE_LOOKBACK_DAYS * 86_400_000);
  // unreadable updates cannot show the change failed: the advice stays withheld, saying so
  let raw: Record<string, unknown>[] | null;
  try {
    raw = await warehouse.query('digest-updates', { since, until: periodEnd, pipeline_ids: ids.join(',') });
  } catch {
    raw = null;
  }
  const byPipeline = new Map<string, UpdateRow[]>();
  for (const r of raw ?? []) {
    const p = UpdateRow.safeParse(r);
    if (!p.success) continue;
    const list = byPipeline.get(p.data.pipeline_id) ?? [];
    list.push(p.data);
    byPipeline.set(p.data.pipeline_id, list);
  }

  const kept: Opportunity[] = [];
  const withheld: WithheldOpportunity[] = [];
  for (const o of opportunities) {
    const a = undoing.get(o);
    if (!a) {
      kept.push(o);
      continue;
    }
    const t = updateCostsAround(byPipeline.get(o.pipeline.id) ?? [], a.appliedAt, periodEnd.getTime());
    const p = payOff(t.before, t.after);
    const words = t.perRows ? COST_WORDS : { ...COST_WORDS, unit: 'per update' };
    const phrase = raw === null ? 'the updates since could not be read (system.billing.usage, system.lakeflow.pipeline_events): keeping it' : payOffPhrase(p, words);
    if (keepsChange(p)) {
      withheld.push({
        advice: { kind: o.kind, pipeline: o.pipeline, change: o.change, auditId: a.auditId, appliedAt: new Date(a.appliedAt).toISOString(), by: a.by, reason: phrase },
        payOff: p,
        // worded as why-slow's withheld fix (src/diagnosis/recommendations.ts)
        line: `${o.pipeline.name}: not recommending "${o.change}": it would undo what dlt-doctor applied. ${describeApplied(a)}; ${phrase}.`,
      });
    } else {
      // advice back, with why: the change the bot made did not pay off on cost
      kept.push({ ...o, why: `${o.why} It undoes what dlt-doctor applied: ${describeApplied(a)}; ${phrase}.`, undoes: { auditId: a.auditId, appliedAt: new Date(a.appliedAt).toISOString(), by: a.by, reason: phrase } });
    }
  }
  return { kept, withheld };
}
