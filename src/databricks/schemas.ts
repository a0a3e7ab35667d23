/**
 * zod schemas of Databricks' own payloads, validated at the edge (REST responses, SQL rows,
 * bundle files). Tolerant: unknown fields are ignored, optional fields may be missing or null.
 * Shapes: REST API 2.0 pipelines (docs.databricks.com/api/workspace/pipelines), the event log
 * (docs.databricks.com/aws/en/ldp/monitor-event-log-schema) and system tables
 * (system.billing.usage, system.billing.list_prices, system.compute.node_timeline).
 */
import { z } from 'zod';

const str = z.string();
const optStr = z.string().nullish();
const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/).transform(Number), z.bigint().transform(Number)]);
const optNum = num.nullish();
/** The largest epoch-ms a JavaScript Date can hold (±100,000,000 days). */
export const MAX_DATE_MS = 8.64e15;

/** A timestamp as the REST API (ISO string / epoch ms), DuckDB or the SQL driver (Date) returns it. */
export const timestamp = z.union([z.string(), z.number(), z.date(), z.bigint().transform(Number)]).transform((v, ctx) => {
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(v) ? v : `${v.replace(' ', 'T')}Z`);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    ctx.addIssue({ code: 'custom', message: `not a timestamp: ${String(v).slice(0, 40)}` });
    return z.NEVER;
  }
  return ms;
});

/** A field that may arrive as an object or as a JSON string of one (event log `details`, `origin`, …). */
export function jsonOrObject<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => {
    if (typeof v === 'string') {
      if (v === '') return null;
      try {
        return JSON.parse(v);
      } catch {
        return v; // left as a string: the inner schema reports it
      }
    }
    return v;
  }, schema.nullish());
}

const stringMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).nullish();

/** A boolean as JSON, as a number (DuckDB, some drivers) or as text ("true"/"false", the Statement Execution API's JSON_ARRAY rows). */
const looseBool = z.union([
  z.boolean(),
  z.number().transform((n) => n !== 0),
  z
    .string()
    .regex(/^(true|false|1|0)$/i)
    .transform((s) => s.toLowerCase() === 'true' || s === '1'),
]);

/** one entry of a cluster's `init_scripts` (workspace, volumes, dbfs, s3, abfss, gcs, file): its destination */
const InitScriptSchema = z.record(z.string(), z.unknown());

export const PipelineClusterSchema = z.object({
  label: optStr,
  num_workers: optNum,
  autoscale: z
    .object({ min_workers: num, max_workers: num, mode: optStr })
    .nullish(),
  node_type_id: optStr,
  driver_node_type_id: optStr,
  instance_pool_id: optStr,
  driver_instance_pool_id: optStr,
  policy_id: optStr,
  spark_conf: stringMap,
  spark_env_vars: stringMap,
  custom_tags: stringMap,
  /** kept so that rules can tell cluster bring-up (init scripts) from planning; `{ workspace: { destination } }`, `{ volumes: … }`, … */
  init_scripts: z.array(InitScriptSchema).nullish(),
  aws_attributes: z.object({ availability: optStr, first_on_demand: optNum }).nullish(),
  azure_attributes: z.object({ availability: optStr, first_on_demand: optNum }).nullish(),
  gcp_attributes: z.object({ availability: optStr }).nullish(),
});
export type RawPipelineCluster = z.infer<typeof PipelineClusterSchema>;

export const PipelineSpecSchema = z.object({
  id: optStr,
  name: optStr,
  catalog: optStr,
  schema: optStr,
  target: optStr,
  channel: optStr,
  edition: optStr,
  continuous: z.boolean().nullish(),
  development: z.boolean().nullish(),
  photon: z.boolean().nullish(),
  serverless: z.boolean().nullish(),
  configuration: stringMap,
  clusters: z.array(PipelineClusterSchema).nullish(),
  libraries: z.array(z.record(z.string(), z.unknown())).nullish(),
  tags: stringMap,
  event_log: z.object({ catalog: optStr, schema: optStr, name: str }).nullish(),
});
export type RawPipelineSpec = z.infer<typeof PipelineSpecSchema>;

const UpdateStateInfoSchema = z.object({ update_id: str, state: optStr, creation_time: z.union([z.string(), z.number()]).nullish() });

/** GET /api/2.0/pipelines/{id} */
export const GetPipelineSchema = z.object({
  pipeline_id: str,
  name: optStr,
  state: optStr,
  health: optStr,
  cause: optStr,
  cluster_id: optStr,
  creator_user_name: optStr,
  run_as_user_name: optStr,
  last_modified: optNum,
  latest_updates: z.array(UpdateStateInfoSchema).nullish(),
  /**
   * Top level, not in `spec`, and accepted by the edit call: a PUT must carry them back or they are
   * cleared (src/databricks/pipeline-edit.ts). Kept as received: `RunAs` is { user_name |
   * service_principal_name }, `parameters` a string map (databricks-sdk-py service/pipelines.py).
   */
  run_as: z.looseObject({ user_name: optStr, service_principal_name: optStr }).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  spec: PipelineSpecSchema.nullish(),
});
export type RawPipeline = z.infer<typeof GetPipelineSchema>;

/** GET /api/2.0/pipelines — the list key is `statuses` */
export const ListPipelinesSchema = z.object({
  statuses: z
    .array(
      z.object({
        pipeline_id: str,
        name: optStr,
        state: optStr,
        health: optStr,
        cluster_id: optStr,
        creator_user_name: optStr,
        latest_updates: z.array(UpdateStateInfoSchema).nullish(),
      }),
    )
    .nullish(),
  next_page_token: optStr,
});
export type RawPipelineStatus = NonNullable<z.infer<typeof ListPipelinesSchema>['statuses']>[number];

export const UpdateInfoSchema = z.object({
  pipeline_id: optStr,
  update_id: str,
  state: optStr,
  cause: optStr,
  creation_time: optNum,
  full_refresh: z.boolean().nullish(),
  cluster_id: optStr,
  validate_only: z.boolean().nullish(),
});
export type RawUpdate = z.infer<typeof UpdateInfoSchema>;

/** GET /api/2.0/pipelines/{id}/updates */
export const ListUpdatesSchema = z.object({
  updates: z.array(UpdateInfoSchema).nullish(),
  next_page_token: optStr,
  prev_page_token: optStr,
});

export const EventOriginSchema = z.object({
  pipeline_id: optStr,
  pipeline_name: optStr,
  update_id: optStr,
  cluster_id: optStr,
  flow_id: optStr,
  flow_name: optStr,
  dataset_name: optStr,
  table_name: optStr,
  batch_id: optNum,
  maintenance_id: optStr,
  org_id: optNum,
});

export const EventErrorSchema = z.object({
  fatal: z.boolean().nullish(),
  exceptions: z
    .array(z.object({ class_name: optStr, message: optStr }))
    .nullish(),
});

/**
 * One row of the event log, as `SELECT * FROM event_log('<id>')` (or a bundle's events.jsonl, or
 * REST's events[] without `details`) gives it.
 */
export const EventRowSchema = z.object({
  id: optStr,
  timestamp,
  event_type: str,
  level: optStr,
  message: optStr,
  maturity_level: optStr,
  origin: jsonOrObject(EventOriginSchema),
  error: jsonOrObject(EventErrorSchema),
  details: jsonOrObject(z.record(z.string(), z.unknown())),
});
export type EventRow = z.infer<typeof EventRowSchema>;

/** GET /api/2.0/pipelines/{id}/events */
export const ListEventsSchema = z.object({
  events: z.array(z.unknown()).nullish(),
  next_page_token: optStr,
  prev_page_token: optStr,
});

/** system.compute.node_timeline */
export const NodeTimelineRowSchema = z.object({
  cluster_id: str,
  instance_id: optStr,
  driver: looseBool.nullish(),
  start_time: timestamp,
  end_time: timestamp.nullish(),
  cpu_user_percent: optNum,
  cpu_system_percent: optNum,
  cpu_wait_percent: optNum,
  mem_used_percent: optNum,
  mem_swap_percent: optNum,
  network_sent_bytes: optNum,
  network_received_bytes: optNum,
  node_type: optStr,
});
export type NodeTimelineRow = z.infer<typeof NodeTimelineRowSchema>;

/** system.billing.usage (the columns the bot reads) */
export const UsageRowSchema = z.object({
  record_id: optStr,
  workspace_id: optStr,
  sku_name: str,
  cloud: optStr,
  usage_start_time: timestamp,
  usage_end_time: timestamp,
  usage_date: z.union([z.string(), z.date()]).nullish(),
  usage_unit: optStr,
  usage_quantity: num,
  record_type: optStr,
  billing_origin_product: optStr,
  usage_metadata: jsonOrObject(
    z.object({ dlt_pipeline_id: optStr, dlt_update_id: optStr, dlt_maintenance_id: optStr, cluster_id: optStr }),
  ),
  product_features: jsonOrObject(z.object({ is_serverless: z.boolean().nullish(), is_photon: z.boolean().nullish() })),
});
export type UsageRow = z.infer<typeof UsageRowSchema>;

/** system.billing.list_prices */
export const ListPriceRowSchema = z.object({
  sku_name: str,
  cloud: optStr,
  currency_code: optStr,
  usage_unit: optStr,
  price_start_time: timestamp,
  price_end_time: timestamp.nullish(),
  pricing: jsonOrObject(
    z.object({ default: optNum, effective_list: z.object({ default: optNum }).nullish() }),
  ),
});
export type ListPriceRow = z.infer<typeof ListPriceRowSchema>;

/** GET /api/2.1/clusters/get?cluster_id= (the fields the bot reads; docs.databricks.com/api/workspace/clusters/get) */
export const ClusterSchema = z.object({
  cluster_id: str,
  cluster_name: optStr,
  state: optStr,
  state_message: optStr,
  spark_version: optStr,
  node_type_id: optStr,
  driver_node_type_id: optStr,
  num_workers: optNum,
  autoscale: z.object({ min_workers: optNum, max_workers: optNum }).nullish(),
  cluster_source: optStr,
  cluster_cores: optNum,
  cluster_memory_mb: optNum,
  start_time: optNum,
  terminated_time: optNum,
  spark_conf: stringMap,
  custom_tags: stringMap,
  default_tags: stringMap,
  executors: z.array(z.object({ node_id: optStr, instance_id: optStr, private_ip: optStr })).nullish(),
  aws_attributes: z.object({ availability: optStr, first_on_demand: optNum }).nullish(),
  azure_attributes: z.object({ availability: optStr, first_on_demand: optNum }).nullish(),
  gcp_attributes: z.object({ availability: optStr }).nullish(),
});
export type RawCluster = z.infer<typeof ClusterSchema>;

/**
 * One entry of GET /api/2.1/clusters/list-node-types `node_types[]` (the fields the bot reads).
 * Shape: NodeType in the SDK (databricks-sdk-py service/compute.py: node_type_id, memory_mb,
 * num_cores, description, instance_type_id, category, is_deprecated, is_hidden,
 * is_io_cache_enabled, is_graviton, photon_worker_capable, photon_driver_capable,
 * node_info.status[] of CloudProviderNodeStatus NotAvailableInRegion / NotEnabledOnSubscription,
 * node_instance_type with local_disks / local_nvme_disks).
 */
export const NodeTypeSchema = z.object({
  node_type_id: str,
  memory_mb: optNum,
  num_cores: optNum,
  description: optStr,
  instance_type_id: optStr,
  category: optStr,
  display_order: optNum,
  is_deprecated: z.boolean().nullish(),
  is_hidden: z.boolean().nullish(),
  is_io_cache_enabled: z.boolean().nullish(),
  is_graviton: z.boolean().nullish(),
  num_gpus: optNum,
  photon_worker_capable: z.boolean().nullish(),
  photon_driver_capable: z.boolean().nullish(),
  node_info: z.object({ status: z.array(z.string()).nullish() }).nullish(),
  node_instance_type: z
    .object({ instance_type_id: optStr, local_disks: optNum, local_disk_size_gb: optNum, local_nvme_disks: optNum, local_nvme_disk_size_gb: optNum })
    .nullish(),
});
export type RawNodeType = z.infer<typeof NodeTypeSchema>;

/** GET /api/2.1/clusters/list-node-types (entries validated one by one: a malformed one is skipped, not fatal) */
export const ListNodeTypesSchema = z.object({ node_types: z.array(z.unknown()).nullish() });
