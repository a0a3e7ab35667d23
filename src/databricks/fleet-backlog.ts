/**
 * The pipeline list's "falling behind" flag (issue 17 item 2): rows of fleet-backlog.sql (ONE
 * statement over the pipeline events system table: per pipeline, the flow of its latest update whose
 * backlog grew the most), validated at the edge and judged with the growing-backlog rule's own
 * defaults (guide §5.2): a span of at least minSpanMinutes, the median of the last tenth of reports
 * at least minGrowth × the median of the first tenth, and at least minNonDecreasingShare of the nine
 * steps from tenth to tenth not going down. Medians of tenths, so a single noisy report neither raises
 * nor hides it (the rule counts steps between reports, then looks for a trailing run; a statement
 * for the whole fleet smooths first instead).
 * A hint, not a diagnosis: `why-slow` reads the update's flows with the rule itself (which also
 * skips full refreshes and finds a trailing run; the list's statement does neither).
 * Refused (no pipeline events table, no grant) → null, remembered for TIMELINE_RETRY_MS as the
 * update-timeline refusal is (fleet-reader.ts).
 */
import { z } from 'zod';
import { rule as growingBacklog } from '../diagnosis/rules/growing-backlog.js';
import { refusalCachedQuery } from './fleet-reader.js';
import type { Warehouse } from './sql.js';

const Num = z.coerce.number();
const NullableNum = z.union([z.null(), z.coerce.number()]);

export const FleetBacklogRowSchema = z.object({
  pipeline_id: z.string(),
  update_id: z.string(),
  flow_name: z.string(),
  metric: z.enum(['bytes', 'records', 'files', 'seconds']),
  reports: Num.pipe(z.number().int().nonnegative()),
  first_ms: Num,
  last_ms: Num,
  first_value: NullableNum,
  last_value: NullableNum,
  max_value: NullableNum,
  non_decreasing_share: NullableNum,
});
export type FleetBacklogRow = z.infer<typeof FleetBacklogRowSchema>;

export type BacklogMetric = FleetBacklogRow['metric'];

/** a flow of a pipeline's latest update whose backlog kept growing */
export interface BacklogFlag {
  updateId: string;
  flow: string;
  metric: BacklogMetric;
  /** median of the first and the last tenth of its reports */
  from: number;
  to: number;
  /** minutes between its first and last report */
  minutes: number;
}

/** the rule needs this many reports before a tenth is more than one report */
const MIN_REPORTS = 12;

export function judgeBacklog(r: FleetBacklogRow, o = growingBacklog.meta.defaults): BacklogFlag | null {
  const minutes = (r.last_ms - r.first_ms) / 60_000;
  const from = r.first_value;
  const to = r.last_value;
  if (from === null || to === null || !Number.isFinite(from) || !Number.isFinite(to)) return null;
  if (r.reports < MIN_REPORTS || minutes < o.minSpanMinutes) return null;
  if (to <= 0 || to < from * o.minGrowth) return null;
  if ((r.non_decreasing_share ?? 0) < o.minNonDecreasingShare) return null;
  return { updateId: r.update_id, flow: r.flow_name, metric: r.metric, from, to, minutes: Math.round(minutes) };
}

export interface FleetBacklogReader {
  /** per pipeline id, the flag of its latest update (absent: not growing, or no stream); null when the table is unavailable */
  read(since: Date): Promise<Map<string, BacklogFlag> | null>;
}

export function createFleetBacklogReader(o: { warehouse: Warehouse | null; now: () => number }): FleetBacklogReader {
  const query = refusalCachedQuery(o, 'fleet-backlog', (rows) => {
    const out = new Map<string, BacklogFlag>();
    for (const raw of rows) {
      const r = FleetBacklogRowSchema.parse(raw);
      const flag = judgeBacklog(r);
      if (flag) out.set(r.pipeline_id, flag);
    }
    return out;
  });
  return { read: (since) => query({ since }) };
}
