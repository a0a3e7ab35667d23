/**
 * zod schemas of the rows the update summary statements return (src/databricks/queries/update-*.sql,
 * node-timeline-buckets.sql), validated at the edge like every SQL row. Numbers may arrive as
 * numbers, numeric strings or bigints (the SQL driver, DuckDB); missing aggregates are null.
 */
import { z } from 'zod';
import { timestamp } from './schemas.js';

const n = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/).transform(Number), z.bigint().transform(Number)]).nullish().transform((v) => (v === undefined || v === null || !Number.isFinite(v) ? null : v));
const s = z.string().nullish().transform((v) => v ?? null);

/** update-overview.sql */
export const OverviewRowSchema = z.object({ cluster_id: s, events: n, detailed: n, min_ms: n, max_ms: n });
export type OverviewRow = z.infer<typeof OverviewRowSchema>;

/** update-flow-buckets.sql */
export const FlowBucketRowSchema = z.object({
  flow_name: z.string(),
  bucket_ms: n,
  width_ms: n,
  min_ms: n,
  max_ms: n,
  series_max_ms: n,
  progress_events: n,
  reports: n,
  output_rows: n,
  upserted_rows: n,
  deleted_rows: n,
  output_bytes: n,
  executor_time_ms: n,
  executor_cpu_time_ms: n,
  dropped_records: n,
  stream_rows: n,
  batches: n,
  batch_ms_sum: n,
  intervals: n,
  interval_ms_sum: n,
  backlog_ms: n,
  backlog_bytes: n,
  backlog_records: n,
  backlog_files: n,
  backlog_seconds: n,
});
export type FlowBucketRow = z.infer<typeof FlowBucketRowSchema>;

/** update-flow-statuses.sql */
export const FlowStatusRowSchema = z.object({ flow_name: z.string(), t_ms: n, status: z.string() });
export type FlowStatusRow = z.infer<typeof FlowStatusRowSchema>;

/** update-cluster-resources.sql */
export const ClusterResourceRowSchema = z.object({
  t_ms: n,
  num_executors: n,
  num_task_slots: n,
  avg_num_task_slots: n,
  avg_task_slot_utilization: z.union([z.string(), z.number()]).nullish().transform((v) => v ?? null),
  avg_num_queued_tasks: n,
  optimal_num_executors: n,
  requested_num_executors: n,
  state: s,
});
export type ClusterResourceRow = z.infer<typeof ClusterResourceRowSchema>;

/** update-autoloader.sql */
export const AutoLoaderRowSchema = z.object({ t_ms: n, duration_ms: n, num_files_listed: n, source_path: s });
export type AutoLoaderRow = z.infer<typeof AutoLoaderRowSchema>;

/** node-timeline-buckets.sql */
export const NodeBucketRowSchema = z.object({
  cluster_id: z.string(),
  instance_id: s,
  driver: z.union([z.boolean(), z.number().transform((v) => v !== 0), z.string().transform((v) => v === 'true' || v === '1')]).nullish().transform((v) => v ?? false),
  node_type: s,
  start_time: timestamp,
  end_time: timestamp.nullish().transform((v) => v ?? null),
  minutes: n,
  cpu_user_percent: n,
  cpu_system_percent: n,
  cpu_wait_percent: n,
  mem_used_percent: n,
  mem_swap_percent: n,
  network_sent_bytes: n,
  network_received_bytes: n,
});
export type NodeBucketRow = z.infer<typeof NodeBucketRowSchema>;

/** Rows that parse, and how many did not. */
export function parseRows<T>(schema: z.ZodType<T>, rows: readonly Record<string, unknown>[] | null): { rows: T[]; skipped: number } {
  const out: T[] = [];
  let skipped = 0;
  for (const r of rows ?? []) {
    const p = schema.safeParse(r);
    if (p.success) out.push(p.data);
    else skipped++;
  }
  return { rows: out, skipped };
}
