/**
 * One update's evidence as the warehouse summarises it (issue 16): the six update summary
 * statements (src/databricks/queries/update-*.sql) run in parallel, each bounded by a constant
 * whatever the update's length, and their rows validated here, at the edge, into what
 * build-evidence/summaries.ts folds. The window (a running continuous update's recent part, or
 * `--window`) bounds the per-bucket statements; the milestones and status timelines are read whole.
 */
import type { UpdateSummaries } from '../diagnosis/build-evidence/summaries.js';
import type { EvidenceWindow } from '../diagnosis/evidence.js';
import { EventRowSchema } from './schemas.js';
import type { EventSource, QueryName, SqlParams } from './sql.js';
import {
  AutoLoaderRowSchema,
  ClusterResourceRowSchema,
  FlowBucketRowSchema,
  FlowStatusRowSchema,
  OverviewRowSchema,
  parseRows,
} from './summary-schemas.js';

/** the statements' rows as the warehouse returned them */
export interface SummaryRows {
  overview: Record<string, unknown>[];
  milestones: Record<string, unknown>[];
  flowBuckets: Record<string, unknown>[];
  flowStatuses: Record<string, unknown>[];
  clusterResources: Record<string, unknown>[];
  autoLoader: Record<string, unknown>[];
}

type Sql = (name: QueryName, params: SqlParams, source?: EventSource) => Promise<Record<string, unknown>[]>;

/**
 * Runs the summary statements of one update in one parallel round; `windowMinutes` bounds the
 * per-bucket ones to the minutes before the update's newest event (null: the whole update).
 */
export async function readSummaries(sql: Sql, ids: { pipeline_id: string; update_id: string }, windowMinutes: number | null, source: EventSource): Promise<SummaryRows> {
  const windowed = { ...ids, window_minutes: windowMinutes ?? 0 };
  const [overview, milestones, flowBuckets, flowStatuses, clusterResources, autoLoader] = await Promise.all([
    sql('update-overview', ids, source),
    sql('update-milestones', ids, source),
    sql('update-flow-buckets', windowed, source),
    sql('update-flow-statuses', ids, source),
    sql('update-cluster-resources', windowed, source),
    sql('update-autoloader', windowed, source),
  ]);
  return { overview, milestones, flowBuckets, flowStatuses, clusterResources, autoLoader };
}

/** events the overview counts (0: the event log does not have the update) */
export function overviewEvents(rows: SummaryRows): number {
  return parseRows(OverviewRowSchema, rows.overview).rows.reduce((s, r) => s + (r.events ?? 0), 0);
}

/** the cluster most of the update's events name, from the overview */
export function overviewCluster(rows: SummaryRows): string | null {
  const named = parseRows(OverviewRowSchema, rows.overview).rows.filter((r) => r.cluster_id);
  named.sort((a, b) => (b.events ?? 0) - (a.events ?? 0));
  return named[0]?.cluster_id ?? null;
}

/**
 * The window the windowed statements read: the `minutes` before the update's newest event, from
 * its first event at the earliest (update-overview's span); null when the overview is empty.
 */
export function windowOf(rows: SummaryRows, minutes: number, requested: boolean): EvidenceWindow | null {
  const ov = parseRows(OverviewRowSchema, rows.overview).rows;
  const ends = ov.map((r) => r.max_ms).filter((v): v is number => v !== null);
  const starts = ov.map((r) => r.min_ms).filter((v): v is number => v !== null);
  if (!ends.length || !starts.length) return null;
  const to = Math.max(...ends);
  return { from: Math.max(Math.min(...starts), to - minutes * 60_000), to, minutes, requested };
}

/** Validated summaries, and how many rows of each statement did not match its schema. */
export function summariesFrom(updateId: string, raw: SummaryRows): { summaries: UpdateSummaries; skipped: number } {
  let skipped = 0;
  const take = <T>(r: { rows: T[]; skipped: number }): T[] => {
    skipped += r.skipped;
    return r.rows;
  };
  const milestones: UpdateSummaries['milestones'] = [];
  for (const m of raw.milestones) {
    // the system-table variant carries update_id beside origin: put it where the readers look
    const uid = typeof m.update_id === 'string' ? m.update_id : null;
    const row = EventRowSchema.safeParse(m);
    if (!row.success) {
      skipped++;
      continue;
    }
    const data = row.data;
    if (uid && !data.origin?.update_id) data.origin = { ...(data.origin ?? {}), update_id: uid };
    const total = Number(m.kind_total);
    milestones.push({ row: data, kind: typeof m.kind === 'string' ? m.kind : 'error', kindTotal: Number.isFinite(total) ? total : null });
  }
  return {
    summaries: {
      updateId,
      overview: take(parseRows(OverviewRowSchema, raw.overview)),
      milestones,
      flowBuckets: take(parseRows(FlowBucketRowSchema, raw.flowBuckets)),
      flowStatuses: take(parseRows(FlowStatusRowSchema, raw.flowStatuses)),
      clusterResources: take(parseRows(ClusterResourceRowSchema, raw.clusterResources)),
      autoLoader: take(parseRows(AutoLoaderRowSchema, raw.autoLoader)),
    },
    skipped,
  };
}

/** rows the statements returned in all */
export function summaryRowCount(raw: SummaryRows): number {
  return raw.overview.length + raw.milestones.length + raw.flowBuckets.length + raw.flowStatuses.length + raw.clusterResources.length + raw.autoLoader.length;
}

export type { EvidenceWindow };
