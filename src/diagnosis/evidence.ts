/**
 * The Evidence model: everything a diagnosis rule may read about one pipeline update.
 * Built from Databricks' own shapes (REST + event log + system tables, or a bundle) by
 * `buildEvidence` in `src/diagnosis/build-evidence.ts`; rules only ever see this.
 * Times are epoch milliseconds; durations seconds unless the name says otherwise.
 * Absent data is `null` (or an empty array) and listed in `gaps`, never guessed.
 */
import type { WorkerLoad } from './right-size.js';

export const BOTTLENECKS = ['cpu', 'memory', 'io', 'network', 'planning', 'startup', 'scaling', 'backlog', 'none'] as const;
export type Bottleneck = (typeof BOTTLENECKS)[number];
export type Category = Exclude<Bottleneck, 'none'>;

/** UNSET: the spec has no `autoscale.mode`; no reference documents the API's default (the UI's is ENHANCED), so it may be legacy */
export type AutoscaleMode = 'ENHANCED' | 'LEGACY' | 'UNSET';

export interface ClusterSpec {
  label: string; // "default" | "updates" | "maintenance"
  numWorkers: number | null; // fixed size; null when autoscaling
  autoscale: { minWorkers: number; maxWorkers: number; mode: AutoscaleMode } | null;
  nodeTypeId: string | null;
  driverNodeTypeId: string | null;
  instancePoolId: string | null;
  driverInstancePoolId: string | null;
  sparkConf: Record<string, string>;
  /** destinations of the cluster's init scripts (they run on every node at every cluster start) */
  initScripts: string[];
  /** aws_attributes.availability / azure_attributes.availability / gcp_attributes.availability, e.g. SPOT_WITH_FALLBACK */
  availability: string | null;
  firstOnDemand: number | null;
}

export interface PipelineSpec {
  photon: boolean;
  serverless: boolean;
  continuous: boolean;
  development: boolean;
  channel: string | null;
  edition: string | null;
  catalog: string | null;
  schema: string | null;
  configuration: Record<string, string>;
  clusters: ClusterSpec[];
  tags: Record<string, string>;
  eventLog: { catalog: string; schema: string; name: string } | null;
  /** names of notebook/file/glob libraries, for display */
  libraries: string[];
  /** jar / whl / maven libraries the cluster installs at start */
  installedLibraries: string[];
}

export interface PipelineInfo {
  id: string;
  name: string;
  state: string | null;
  health: string | null;
  creatorUserName: string | null;
  lastModified: number | null;
  spec: PipelineSpec;
}

export const PHASES = ['queued', 'created', 'waiting_for_resources', 'initializing', 'resetting', 'setting_up_tables', 'running', 'stopping'] as const;
export type Phase = (typeof PHASES)[number];

export interface UpdateInfo {
  id: string;
  state: string; // last update_progress state (COMPLETED | FAILED | CANCELED | RUNNING | …)
  cause: string | null;
  fullRefresh: boolean;
  startedAt: number; // create_update (or first update_progress) timestamp
  endedAt: number | null; // terminal update_progress timestamp
  durationS: number | null;
  /** seconds spent in each update_progress state, from consecutive update_progress events */
  phasesS: Partial<Record<Phase, number>>;
  clusterId: string | null;
  /** sum of num_output_rows + num_upserted_rows over the update's flows, null when no flow metrics */
  outputRows: number | null;
  dbrVersion: string | null;
}

export interface FlowStatusChange { t: number; status: string }
export interface BacklogSample { t: number; bytes: number | null; records: number | null; files: number | null; seconds: number | null }
/**
 * One time bucket of a streaming flow's progress (build-evidence/stream-series.ts): the rows its
 * flow_progress reports wrote in it (`metrics.num_output_rows` + `num_upserted_rows`, per reporting
 * period) and how long its micro-batches took — `stream_progress.progress_json.batchDuration` when
 * the log has those events, else the time between consecutive flow_progress reports.
 */
export interface StreamSample {
  /** bucket start, epoch ms */
  t: number;
  /** bucket width, seconds (doubles as a long update's series is merged) */
  spanS: number;
  rows: number;
  /** flow_progress events with metrics in the bucket */
  reports: number;
  /** micro-batches with a batchDuration (stream_progress), and their mean, ms */
  batches: number;
  batchMs: number | null;
  /** intervals between consecutive flow_progress reports ending in the bucket, and their mean, ms */
  intervals: number;
  intervalMs: number | null;
}

export interface PlanningIssue { issueType: string; preventIncrementalization: boolean; subType: string | null; operator: string | null }
export interface PlanningInfo {
  /** chosen maintenance type, e.g. MAINTENANCE_TYPE_COMPLETE_RECOMPUTE */
  chosenTechnique: string | null;
  issues: PlanningIssue[];
}

export interface FlowInfo {
  name: string;
  flowType: string | null; // COMPLETE | CHANGE | APPEND | MATERIALIZED_VIEW | VIEW | …
  language: string | null;
  explainText: string | null;
  inputDatasets: string[];
  outputDataset: string | null;
  statuses: FlowStatusChange[];
  finalStatus: string | null;
  startedAt: number | null;
  endedAt: number | null;
  durationS: number | null;
  /** seconds in RUNNING status (between a RUNNING flow_progress and the next status); null without one */
  runningS: number | null;
  outputRows: number;
  upsertedRows: number;
  deletedRows: number;
  outputBytes: number;
  droppedRecords: number;
  executorTimeMs: number;
  executorCpuTimeMs: number;
  /** ordered by time; downsampled to at most a few hundred points */
  backlog: BacklogSample[];
  /** progress per time bucket, ordered by time, at most a few hundred buckets; empty without metrics */
  stream: StreamSample[];
  planning: PlanningInfo | null;
}

/** One flow's part in the running phase (build-evidence/dag.ts). */
export interface FlowTime {
  name: string;
  /** first status to terminal status (or the update's end), seconds */
  durationS: number;
  /** the running phase split equally among the flows running at each moment, seconds */
  wallS: number;
  /** its time on the critical path, seconds (0 off the path) */
  criticalS: number;
  /** max(criticalS, wallS) / running phase, 0..1: the most speeding this flow up could save */
  share: number;
  critical: boolean;
}

export interface FlowTimeline {
  runningS: number;
  criticalPathS: number;
  /** by share, largest first */
  flows: FlowTime[];
  /** the DAG came from flow_definition events (else timing alone) */
  fromDefinitions: boolean;
}

export interface ClusterResourceSample {
  t: number;
  numExecutors: number | null;
  numTaskSlots: number | null;
  avgTaskSlots: number | null;
  /** 0..1 */
  slotUtilization: number | null;
  queuedTasks: number | null;
  optimalExecutors: number | null;
  requestedExecutors: number | null;
  state: string | null;
}

export interface AutoscaleEvent { t: number; status: string | null; optimalExecutors: number | null; requestedExecutors: number | null }

export interface ErrorInfo {
  t: number;
  level: string;
  eventType: string;
  message: string;
  fatal: boolean;
  /** origin.flow_name (or dataset_name) of the event, when it came from a flow */
  flowName: string | null;
  /** details.flow_progress.status of a flow_progress event (FAILED for a flow's failure); absent otherwise */
  flowStatus?: string | null;
  exceptions: { className: string; message: string }[];
}

export interface AutoLoaderListing { t: number; durationMs: number | null; numFilesListed: number | null; sourcePath: string | null }

/** per-minute, per-instance rows of system.compute.node_timeline */
export interface NodeSample {
  t: number;
  clusterId: string;
  instanceId: string;
  driver: boolean;
  cpuUser: number;
  cpuSystem: number;
  cpuWait: number;
  memUsed: number;
  memSwap: number;
  netSent: number;
  netReceived: number;
  nodeType: string | null;
}

export interface HistoryEntry {
  updateId: string;
  state: string;
  startedAt: number;
  durationS: number;
  outputRows: number | null;
  fullRefresh: boolean;
  /** what the update looked like, for "what changed" (absent when only a summary row is known, e.g. live history) */
  dbrVersion?: string | null;
  phasesS?: Partial<Record<Phase, number>>;
  /** flows with progress or a definition in that update */
  flows?: number;
  /** the most executors cluster_resources reported */
  peakExecutors?: number | null;
}

export interface CostInfo {
  /** DBUs and list-price dollars of this update (usage rows with its dlt_update_id) */
  updateDbus: number | null;
  updateDollars: number | null;
  /** the last `periodDays` (SAVINGS_PERIOD_DAYS, a week) for the pipeline, maintenance included */
  periodDbus: number;
  periodDollars: number;
  maintenanceDbus: number;
  /** list-price dollars of maintenance in the period; absent in bundles written before it existed */
  maintenanceDollars?: number;
  periodDays: number;
  /**
   * the update clusters' workers (and driver) over the same period, from the digest's utilization
   * statement: the load right-sizing is judged and priced on, as in `cost` and the digest; null or
   * absent when not read (serverless, bundles, no grant)
   */
  periodLoad?: WorkerLoad | null;
}

/**
 * One node type the workspace offers (GET /api/2.1/clusters/list-node-types `node_types[]`, NodeType
 * in databricks-sdk-py service/compute.py), for checking suggested node types.
 */
export interface NodeTypeOffer {
  nodeTypeId: string;
  memoryMb: number | null;
  numCores: number | null;
  /** e.g. "Memory Optimized", "Compute Optimized" */
  category: string | null;
  /** is_deprecated: still listed, but Databricks steers new clusters away from it */
  deprecated: boolean;
  /** is_hidden: not shown in the UI */
  hidden: boolean;
  /** node_info.status from the cloud provider, e.g. NotAvailableInRegion, NotEnabledOnSubscription; empty when available */
  unavailable: string[];
  /** is_io_cache_enabled: the disk cache is on by default (local SSD) */
  ioCacheEnabled: boolean | null;
  /** local NVMe disks (node_instance_type.local_nvme_disks), null when not reported */
  localNvmeDisks: number | null;
  numGpus: number | null;
  photonWorkerCapable: boolean | null;
  photonDriverCapable: boolean | null;
}

export type Gap = 'node_metrics' | 'event_details' | 'cluster_resources' | 'history' | 'cost' | 'flow_definitions' | 'updates_api';

/**
 * The part of the update whose flow metrics, cluster resources, Auto Loader listings and node
 * metrics were read (issue 16): a running continuous update is judged on its recent window (the
 * last 8 h unless `--window` says otherwise). Phases, errors, plans and status timelines always
 * cover the whole update.
 */
export interface EvidenceWindow {
  /** epoch ms: rows before it were not read */
  from: number;
  /** epoch ms: the newest event of the update (or now, while it runs) */
  to: number;
  minutes: number;
  /** true: `--window` asked for it; false: the default for a running continuous update */
  requested: boolean;
}

export interface Evidence {
  pipeline: PipelineInfo;
  update: UpdateInfo;
  flows: FlowInfo[];
  /** where the time went; null when no flow has a start time */
  timeline: FlowTimeline | null;
  clusterResources: ClusterResourceSample[];
  autoscale: AutoscaleEvent[];
  errors: ErrorInfo[];
  autoLoader: AutoLoaderListing[];
  /** null when not available (serverless, no warehouse, no grant) */
  nodeMetrics: NodeSample[] | null;
  /** the pipeline's earlier updates (newest first), excluding this one */
  history: HistoryEntry[];
  cost: CostInfo | null;
  /**
   * the node types the workspace offers; absent or null when not known (the call failed, a bundle
   * without node_types.json): then suggested node types are not checked
   */
  nodeTypes?: NodeTypeOffer[] | null;
  /** what the sources could not provide, in the order discovered */
  gaps: Gap[];
  /** human-readable notes about the input (skipped lines, REST-only mode, …) */
  notes: string[];
  /** absent: the whole update was read */
  window?: EvidenceWindow;
}
