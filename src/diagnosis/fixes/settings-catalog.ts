/**
 * The real settings a fix may name in `change` (target, key, value), each with the documentation
 * that defines it. The recommendation catalog test (test/diagnosis/settings-catalog.test.ts) builds
 * every fix and checks its change here, so a misspelt or invented key cannot reach a user.
 *
 * - `pipeline`: fields of the pipeline spec — databricks-sdk-py `databricks/sdk/service/pipelines.py`
 *   `PipelineSpec` (what `GET /api/2.0/pipelines/{id}` returns as `spec` and `PUT` (`EditPipeline`,
 *   `PipelinesAPI.update`) takes back; `update` also takes request-only arguments —
 *   `allow_duplicate_names`, `expected_last_modified`, `run_as`, `parameters` — that are not spec settings).
 * - `cluster`: fields of `PipelineCluster`, with `PipelineClusterAutoscale`'s `min_workers`,
 *   `max_workers` and `mode` (`PipelineClusterAutoscaleMode`: ENHANCED, LEGACY) as `autoscale.*`.
 * - `spark_conf`: every Spark configuration key the catalog emits, with the Apache Spark or Databricks
 *   page that documents it (and the guide section that recommends it).
 * - `table_property`: the Delta table properties the catalog emits.
 * - `code`: a code change. When its key is a streaming source option (streaming.ts), it must be an
 *   option of that fix's source (source-options.ts, each with its Databricks page); other code
 *   changes name where the edit goes (a flow, the pipeline, a schema), not a setting.
 */
import type { Change } from '../types.js';
import { SOURCE_OPTIONS, type OptionSource } from './source-options.js';

const SDK = 'databricks-sdk-py databricks/sdk/service/pipelines.py';
const SPARK_CONF = 'https://spark.apache.org/docs/latest/configuration.html';
const SPARK_SQL_TUNING = 'https://spark.apache.org/docs/latest/sql-performance-tuning.html';
const DATABRICKS = {
  aqe: 'https://docs.databricks.com/aws/en/optimizations/aqe',
  diskCache: 'https://docs.databricks.com/aws/en/optimizations/disk-cache',
  fileSize: 'https://docs.databricks.com/aws/en/tables/tune-file-size',
  cdf: 'https://docs.databricks.com/aws/en/delta/delta-change-data-feed',
  rowTracking: 'https://docs.databricks.com/aws/en/delta/row-tracking',
} as const;

/** What a setting's value may be. `structured`: an object, list or map — a change sets a field inside it, never the whole. */
export type ValueKind =
  | { kind: 'boolean' }
  | { kind: 'count'; min: number }
  | { kind: 'number'; min: number; max: number }
  | { kind: 'bytes' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' }
  | { kind: 'structured' };

export interface Setting {
  /** where the setting is defined: an SDK class, or the documentation page */
  doc: string;
  value: ValueKind;
  /** the guide section (docs/guide.md) that recommends it, when one does */
  guide?: string;
}

const bool: ValueKind = { kind: 'boolean' };
const str: ValueKind = { kind: 'string' };
const structured: ValueKind = { kind: 'structured' };
const sdk = (cls: string, value: ValueKind): Setting => ({ doc: `${SDK} ${cls}`, value });

/** `PipelineSpec` fields (databricks-sdk-py, service/pipelines.py). */
export const PIPELINE_SETTINGS: Readonly<Record<string, Setting>> = {
  budget_policy_id: sdk('PipelineSpec', str),
  catalog: sdk('PipelineSpec', str),
  channel: sdk('PipelineSpec', str),
  clusters: sdk('PipelineSpec', structured),
  configuration: sdk('PipelineSpec', structured),
  continuous: sdk('PipelineSpec', bool),
  deployment: sdk('PipelineSpec', structured),
  development: sdk('PipelineSpec', bool),
  edition: sdk('PipelineSpec', str),
  environment: sdk('PipelineSpec', structured),
  event_log: sdk('PipelineSpec', structured),
  filters: sdk('PipelineSpec', structured),
  gateway_definition: sdk('PipelineSpec', structured),
  id: sdk('PipelineSpec', str),
  ingestion_definition: sdk('PipelineSpec', structured),
  libraries: sdk('PipelineSpec', structured),
  name: sdk('PipelineSpec', str),
  notifications: sdk('PipelineSpec', structured),
  photon: { ...sdk('PipelineSpec', bool), guide: '4.3' },
  restart_window: sdk('PipelineSpec', structured),
  rewind_generation_interval: sdk('PipelineSpec', structured),
  root_path: sdk('PipelineSpec', str),
  schema: sdk('PipelineSpec', str),
  // serverless pipelines: https://docs.databricks.com/aws/en/ldp/serverless (Unity Catalog only, no `clusters`)
  serverless: sdk('PipelineSpec', bool),
  serverless_compute_id: sdk('PipelineSpec', str),
  storage: sdk('PipelineSpec', str),
  tags: sdk('PipelineSpec', structured),
  target: sdk('PipelineSpec', str),
  trigger: sdk('PipelineSpec', structured),
  usage_policy_id: sdk('PipelineSpec', str),
};

/** `PipelineCluster` fields, and `PipelineClusterAutoscale`'s as `autoscale.*` (databricks-sdk-py, service/pipelines.py). */
export const CLUSTER_SETTINGS: Readonly<Record<string, Setting>> = {
  apply_policy_default_values: sdk('PipelineCluster', bool),
  autoscale: sdk('PipelineCluster', structured),
  'autoscale.min_workers': { ...sdk('PipelineClusterAutoscale', { kind: 'count', min: 0 }), guide: '3.2, 3.3' },
  // "max_workers must be strictly greater than min_workers" (PipelineClusterAutoscale)
  'autoscale.max_workers': { ...sdk('PipelineClusterAutoscale', { kind: 'count', min: 1 }), guide: '3.2, 3.3' },
  // PipelineClusterAutoscaleMode; ENHANCED is for `updates` clusters only, maintenance clusters use LEGACY
  'autoscale.mode': { ...sdk('PipelineClusterAutoscale', { kind: 'enum', values: ['ENHANCED', 'LEGACY'] }), guide: '3.3' },
  aws_attributes: sdk('PipelineCluster', structured),
  azure_attributes: sdk('PipelineCluster', structured),
  cluster_log_conf: sdk('PipelineCluster', structured),
  custom_tags: sdk('PipelineCluster', structured),
  driver_instance_pool_id: sdk('PipelineCluster', str),
  driver_node_type_id: { ...sdk('PipelineCluster', str), guide: '3.1' },
  enable_local_disk_encryption: sdk('PipelineCluster', bool),
  gcp_attributes: sdk('PipelineCluster', structured),
  init_scripts: sdk('PipelineCluster', structured),
  instance_pool_id: sdk('PipelineCluster', str),
  label: sdk('PipelineCluster', str),
  node_type_id: { ...sdk('PipelineCluster', str), guide: '3.1' },
  num_workers: { ...sdk('PipelineCluster', { kind: 'count', min: 0 }), guide: '3.2, 12.2' },
  policy_id: sdk('PipelineCluster', str),
  spark_conf: sdk('PipelineCluster', structured),
  spark_env_vars: sdk('PipelineCluster', structured),
  ssh_public_keys: sdk('PipelineCluster', structured),
};

/** Each Spark configuration key the catalog emits (a cluster's `spark_conf` or the pipeline's `configuration`). */
export const SPARK_CONF_SETTINGS: Readonly<Record<string, Setting>> = {
  // Spark configuration, Memory Management (guide §8.1 sets both)
  'spark.memory.offHeap.enabled': { doc: SPARK_CONF, value: bool, guide: '8.1' },
  'spark.memory.offHeap.size': { doc: SPARK_CONF, value: { kind: 'bytes' }, guide: '8.1' },
  // Spark configuration, Application Properties: "in MiB unless otherwise specified"
  'spark.executor.memoryOverhead': { doc: SPARK_CONF, value: { kind: 'bytes' } },
  // Spark configuration, Application Properties (since Spark 3.3.0; default 0.10)
  'spark.executor.memoryOverheadFactor': { doc: SPARK_CONF, value: { kind: 'number', min: 0, max: 1 } },
  // Databricks disk cache: "spark.databricks.io.cache.enabled" (guide §3.4)
  'spark.databricks.io.cache.enabled': { doc: DATABRICKS.diskCache, value: bool, guide: '3.4' },
  // Databricks "Control data file size": optimized writes and auto compaction session confs (guide §3.4, §7.1)
  'spark.databricks.delta.optimizeWrite.enabled': { doc: DATABRICKS.fileSize, value: bool, guide: '3.4, 7.1' },
  'spark.databricks.delta.autoCompact.enabled': { doc: DATABRICKS.fileSize, value: bool, guide: '3.4, 7.1' },
  // Spark SQL performance tuning, Adaptive Query Execution; Databricks AQE (on by default)
  'spark.sql.adaptive.enabled': { doc: `${SPARK_SQL_TUNING} (Adaptive Query Execution); ${DATABRICKS.aqe}`, value: bool, guide: '3.4, 8.3' },
  'spark.sql.adaptive.coalescePartitions.enabled': { doc: `${SPARK_SQL_TUNING} (Coalescing Post Shuffle Partitions); ${DATABRICKS.aqe}`, value: bool, guide: '3.4' },
  'spark.sql.adaptive.skewJoin.enabled': { doc: `${SPARK_SQL_TUNING} (Optimizing Skew Join); ${DATABRICKS.aqe}`, value: bool, guide: '8.3' },
  // a number of partitions, or `auto` (Databricks auto-optimized shuffle, AQE "Configuration")
  'spark.sql.shuffle.partitions': { doc: `${SPARK_SQL_TUNING}; ${DATABRICKS.aqe} (auto)`, value: { kind: 'enum', values: ['auto'] }, guide: '3.4' },
  // Spark SQL performance tuning, Other Configuration Options: bytes, -1 disables broadcasting
  'spark.sql.autoBroadcastJoinThreshold': { doc: SPARK_SQL_TUNING, value: { kind: 'bytes' }, guide: '6.2' },
};

/** The Delta table properties the catalog emits. */
export const TABLE_PROPERTY_SETTINGS: Readonly<Record<string, Setting>> = {
  'delta.enableChangeDataFeed': { doc: DATABRICKS.cdf, value: bool },
  'delta.enableRowTracking': { doc: DATABRICKS.rowTracking, value: bool },
};

/**
 * The fixes whose `code` change sets a streaming source option, and the source it belongs to
 * (streaming.ts: the Auto Loader fixes, and streaming-trigger for the source the rule named).
 */
export function optionSourceOf(fixId: string, params: Record<string, string | number | boolean>): OptionSource | 'any' | null {
  if (fixId.startsWith('autoloader-')) return 'autoloader';
  if (fixId === 'streaming-trigger') {
    const s = params.source;
    return typeof s === 'string' && Object.prototype.hasOwnProperty.call(SOURCE_OPTIONS, s) ? (s as OptionSource) : 'any';
  }
  return null;
}

/** True when `key` is an option of some streaming source (source-options.ts). */
export function isAnySourceOption(key: string): boolean {
  return Object.values(SOURCE_OPTIONS).some((s) => Object.prototype.hasOwnProperty.call(s.options, key));
}

const TABLES: Readonly<Record<Exclude<Change['target'], 'code'>, Readonly<Record<string, Setting>>>> = {
  pipeline: PIPELINE_SETTINGS,
  cluster: CLUSTER_SETTINGS,
  spark_conf: SPARK_CONF_SETTINGS,
  table_property: TABLE_PROPERTY_SETTINGS,
};

/** The setting `key` names for `target`, or null when it is not one (code changes have none). */
export function settingOf(target: Change['target'], key: string): Setting | null {
  if (target === 'code') return null;
  const table = TABLES[target];
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key]! : null;
}

const BYTES = /^\s*-?\d+(?:\.\d+)?\s*([kmgt]i?b?|b)?\s*$/i;

function valueProblem(key: string, value: string, v: ValueKind): string | null {
  switch (v.kind) {
    case 'boolean':
      return value === 'true' || value === 'false' ? null : `${key} takes true or false, not "${value}"`;
    case 'count': {
      const n = Number(value);
      return Number.isInteger(n) && n >= v.min ? null : `${key} takes a whole number ≥ ${v.min}, not "${value}"`;
    }
    case 'number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) && n >= v.min && n <= v.max ? null : `${key} takes a number in ${v.min}..${v.max}, not "${value}"`;
    }
    case 'bytes':
      return BYTES.test(value) ? null : `${key} takes a size (bytes, or with a unit such as 8g), not "${value}"`;
    case 'enum':
      // spark.sql.shuffle.partitions: a partition count, or one of the words
      if (key === 'spark.sql.shuffle.partitions' && /^\d+$/.test(value)) return null;
      return v.values.includes(value) ? null : `${key} takes ${v.values.join(' or ')}, not "${value}"`;
    case 'string':
      return value.trim() !== '' ? null : `${key} needs a value`;
    case 'structured':
      return `${key} is an object, list or map: a change sets one field inside it, never the whole`;
  }
}

/**
 * Why `change`, made by fix `fixId` with `params`, is not a real setting of its target (or has a
 * value the setting cannot take); null when it is. For code changes: an option key must belong to
 * the fix's source; any other code change must not look like a source option.
 */
export function changeProblem(fixId: string, change: Change, params: Record<string, string | number | boolean> = {}): string | null {
  if (change.key.trim() === '' || change.value.trim() === '') return `${fixId}: empty key or value`;
  if (change.target === 'code') {
    const source = optionSourceOf(fixId, params);
    if (source === null) {
      return isAnySourceOption(change.key) ? `${fixId}: ${change.key} is a source option, but ${fixId} is not a source-option fix (settings-catalog.ts optionSourceOf)` : null;
    }
    if (source === 'any') return isAnySourceOption(change.key) ? null : `${fixId}: ${change.key} is no streaming source's option`;
    return Object.prototype.hasOwnProperty.call(SOURCE_OPTIONS[source].options, change.key)
      ? null
      : `${fixId}: ${change.key} is not a ${SOURCE_OPTIONS[source].label} option (${SOURCE_OPTIONS[source].doc})`;
  }
  const setting = settingOf(change.target, change.key);
  if (setting === null) return `${fixId}: ${change.key} is not a ${change.target} setting`;
  const bad = valueProblem(change.key, change.value, setting.value);
  return bad ? `${fixId}: ${bad}` : null;
}
