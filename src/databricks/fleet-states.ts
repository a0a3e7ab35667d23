/**
 * Rows of fleet-update-states.sql (system.lakeflow.pipeline_update_timeline), validated at the edge,
 * folded into each pipeline's last update and baseline (median of up to 10 prior COMPLETED
 * durations), the same figures the per-pipeline update-history path gives.
 */
import { z } from 'zod';
import type { PipelineSummary } from '../source.js';

const Time = z.union([z.date(), z.string(), z.number()]).transform((v) => (v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v)));

export const FleetRowSchema = z.object({
  pipeline_id: z.string(),
  update_id: z.string(),
  started_at: Time,
  ended_at: Time.nullable(),
  result_state: z.string().nullable(),
  rn: z.coerce.number().int().positive(),
});
export type FleetRow = z.infer<typeof FleetRowSchema>;

export interface FleetState {
  lastUpdate: NonNullable<PipelineSummary['lastUpdate']>;
  baselineMedianS: number | null;
}

const BASELINE_UPDATES = 10;

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function fleetStates(rows: readonly unknown[]): Map<string, FleetState> {
  const byPipeline = new Map<string, FleetRow[]>();
  for (const raw of rows) {
    const r = FleetRowSchema.parse(raw);
    const list = byPipeline.get(r.pipeline_id) ?? [];
    list.push(r);
    byPipeline.set(r.pipeline_id, list);
  }
  const out = new Map<string, FleetState>();
  for (const [id, list] of byPipeline) {
    list.sort((a, b) => a.rn - b.rn);
    const dur = (x: FleetRow) => (x.ended_at === null || Number.isNaN(x.ended_at) ? null : (x.ended_at - x.started_at) / 1000);
    const newest = list[0]!;
    const prior = list
      .slice(1)
      .filter((x) => x.result_state === 'COMPLETED' && dur(x) !== null)
      .slice(0, BASELINE_UPDATES);
    out.set(id, {
      // no result_state yet: the update is still running (the timeline records terminal states)
      lastUpdate: { id: newest.update_id, state: newest.result_state ?? 'RUNNING', startedAt: newest.started_at, durationS: newest.result_state === null ? null : dur(newest) },
      baselineMedianS: median(prior.map((x) => dur(x)!)),
    });
  }
  return out;
}
